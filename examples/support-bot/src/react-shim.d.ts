// The example has no node_modules: just enough React typing for the editor to
// read the UI files without errors. A real app gets these from @types/react.
declare module "react" {
  const React: unknown;
  export default React;
}
declare namespace JSX {
  interface IntrinsicElements {
    [element: string]: Record<string, unknown>;
  }
  type Element = unknown;
}
