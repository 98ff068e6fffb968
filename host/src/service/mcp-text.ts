// The text the MCP tools show a model (beside their structured content): shared by the run and the session tools.

/** One stream of a result as a labelled block (`<stdout>…</stdout>`), or a line saying it is empty. */
export function block(name: string, text: string): string {
  if (!text) return `${name}: (empty)`;
  return `<${name}>\n${text.endsWith('\n') ? text : `${text}\n`}</${name}>`;
}
