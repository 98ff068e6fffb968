"""Prints, as JSON, what each given component imports and exports, as wasmtime's type information sees it:

    python test/wasmtime/interfaces.py build/exec-javascript.wasm reference.wasm …
    → {"<path>": {"imports": ["wasi:cli/stdout@0.2.12", …],
                  "exports": {"golem:exec/executor@1.0.0": ["func run(lang: record{…}, …) -> result<…>", …], …}}}

Each exported interface is rendered as sorted lines, one per item (type, resource, function), with every type written
out structurally (record fields, variant cases, enum names, parameter names, own/borrow of which resource), so two
components export the same interface text only if their signatures are identical. test/portability.test.ts compares
the components against a reference built from wit/exec.wit.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "host" / "wasmtime"))

import golem_exec_wasmtime as host  # noqa: E402
from wasmtime import Engine  # noqa: E402
from wasmtime.component import (  # noqa: E402
    BorrowType, Component, ComponentInstanceType, EnumType, FlagsType, FuncType, ListType, OptionType, OwnType,
    RecordType, ResourceType, ResultType, TupleType, VariantType)


class Renderer:
    def __init__(self, resources: dict[str, ResourceType]):
        self.resources = resources  # the interface's own resources, by export name

    def resource(self, ty: ResourceType) -> str:
        for name, candidate in self.resources.items():
            if candidate == ty:
                return name
        return "<foreign resource>"

    def type(self, ty) -> str:
        if isinstance(ty, RecordType):
            return "record{" + ", ".join(f"{n}: {self.type(t)}" for n, t in ty.fields) + "}"
        if isinstance(ty, VariantType):
            return "variant{" + ", ".join(n if t is None else f"{n}({self.type(t)})" for n, t in ty.cases) + "}"
        if isinstance(ty, EnumType):
            return "enum{" + ", ".join(ty.names) + "}"
        if isinstance(ty, FlagsType):
            return "flags{" + ", ".join(ty.names) + "}"
        if isinstance(ty, OptionType):
            return f"option<{self.type(ty.payload)}>"
        if isinstance(ty, ResultType):
            ok = "_" if ty.ok is None else self.type(ty.ok)
            err = "_" if ty.err is None else self.type(ty.err)
            return f"result<{ok}, {err}>"
        if isinstance(ty, ListType):
            return f"list<{self.type(ty.element)}>"
        if isinstance(ty, TupleType):
            return "tuple<" + ", ".join(self.type(t) for t in ty.elements) + ">"
        if isinstance(ty, OwnType):
            return f"own<{self.resource(ty.ty)}>"
        if isinstance(ty, BorrowType):
            return f"borrow<{self.resource(ty.ty)}>"
        return type(ty).__name__.lower()  # primitives: u8, u64, s32, string, bool, …

    def func(self, ty: FuncType) -> str:
        params = ", ".join(f"{n}: {self.type(t)}" for n, t in ty.params)
        return f"({params})" + ("" if ty.result is None else f" -> {self.type(ty.result)}")


def render_instance(engine: Engine, instance: ComponentInstanceType) -> list[str]:
    items = instance.exports(engine)
    kinds = {name: item.ty for name, item in items.items()}
    renderer = Renderer({name: ty for name, ty in kinds.items() if isinstance(ty, ResourceType)})
    lines = []
    for name, ty in kinds.items():
        if isinstance(ty, ResourceType):
            lines.append(f"resource {name}")
        elif isinstance(ty, FuncType):
            lines.append(f"func {name}{renderer.func(ty)}")
        elif isinstance(ty, ComponentInstanceType):
            lines.append(f"instance {name}")
        else:
            lines.append(f"type {name} = {renderer.type(ty)}")
    return sorted(lines)


def describe(runtime: host.Runtime, path: str) -> dict:
    component = runtime.load(Path(path))
    engine = runtime.engine
    ctype = component.type
    exports = {}
    for name, item in ctype.exports(engine).items():
        ty = item.ty
        exports[name] = render_instance(engine, ty) if isinstance(ty, ComponentInstanceType) else [type(ty).__name__]
    return {"imports": sorted(ctype.imports(engine)), "exports": exports}


def main() -> None:
    runtime = host.Runtime()
    print(json.dumps({path: describe(runtime, path) for path in sys.argv[1:]}, indent=1))


if __name__ == "__main__":
    main()
