// The slice of the WebAssembly JS API this package uses. Node has it globally, but neither
// lib.es2023 nor @types/node 20 declares it (it lives in lib.dom, which a server must not load).
declare namespace WebAssembly {
  type Exports = Record<string, unknown>;
  type ModuleImports = Record<string, unknown>;
  type Imports = Record<string, ModuleImports>;
  interface Instance {
    readonly exports: Exports;
  }
  function instantiate(bytes: Uint8Array, imports?: Imports): Promise<{ instance: Instance }>;
}
