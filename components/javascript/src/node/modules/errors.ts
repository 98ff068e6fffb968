// Node's errors carry a `code` (ERR_INVALID_ARG_TYPE, ...) that programs test; the message reads "<message>" and the
// name stays the constructor's, as in Node.
export function nodeError<E extends Error>(Ctor: new (message: string) => E, code: string, message: string): E & { code: string } {
  return Object.assign(new Ctor(message), { code });
}

/** Node's ERR_INVALID_ARG_TYPE for a value that is not one of the accepted kinds. */
export function invalidArgType(name: string, expected: string, value: unknown): TypeError & { code: string } {
  const received =
    value === null || value === undefined
      ? ` Received ${value}`
      : typeof value === 'function'
        ? ` Received function ${(value as Function).name}`
        : typeof value === 'object'
          ? ` Received an instance of ${(value as object).constructor?.name ?? 'Object'}`
          : ` Received type ${typeof value} (${String(value).slice(0, 25)})`;
  return nodeError(TypeError, 'ERR_INVALID_ARG_TYPE', `The "${name}" argument must be ${expected}.${received}`);
}
