// Packages bundled into the guest that ship no type declarations; the guest uses them through these shapes only.
declare module 'readable-stream/lib/stream.js' {
  // Node's own stream implementation (the same API as node:stream), typed loosely here.
  const Stream: any;
  export default Stream;
}
declare module '@pkgjs/parseargs' {
  export const parseArgs: (config?: object) => { values: Record<string, unknown>; positionals: string[]; tokens?: object[] };
}
declare module 'string_decoder/lib/string_decoder.js' {
  export const StringDecoder: any;
}
