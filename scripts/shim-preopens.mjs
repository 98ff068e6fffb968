// preview2-shim starts with no preopens, and jco / componentize-js read WIT and sources through it: build tools
// (never the sandbox) get the host root. Loaded with `node --import` or imported before the tool runs.
import { _setPreopens } from '@bytecodealliance/preview2-shim/filesystem';

_setPreopens({ '/': '/' });
