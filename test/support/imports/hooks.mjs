// Module hooks: report each @langchain module a process loads (on stderr), to show what a start pays for.
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  if (result.url.includes("/node_modules/@langchain/")) process.stderr.write(`loaded ${result.url}\n`);
  return result;
}
