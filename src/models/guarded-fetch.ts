/**
 * A fetch for the model clients that turns a provider's malformed success into
 * the error it really is. Proxies and overloaded gateways answer 200 with an
 * HTML error page; some servers answer a completion with no choices. The
 * clients would crash on those with a TypeError and no retry; as a 502 with a
 * clear message they are retried with backoff, and reported plainly when they
 * persist.
 */
type Fetch = typeof globalThis.fetch;

function gatewayError(message: string): Response {
  return new Response(JSON.stringify({ error: { message, type: "bad_gateway" } }), {
    status: 502,
    headers: { "content-type": "application/json" },
  });
}

function snippet(text: string): string {
  const title = /<title>([^<]*)<\/title>/i.exec(text)?.[1];
  const plain = (title ?? text)
    .replace(/<[^>]*>/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return plain.length > 80 ? `${plain.slice(0, 80)}…` : plain;
}

export function guardedFetch(inner: Fetch = globalThis.fetch): Fetch {
  return async (input, init) => {
    const response = await inner(input, init);
    const type = response.headers.get("content-type") ?? "";
    if (!response.ok || /event-stream/i.test(type)) return response;
    const text = await response.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return gatewayError(
        `the server answered status ${response.status} with ${type || "no content type"} instead of JSON${text.trim() ? `: "${snippet(text)}"` : " (an empty body)"}`,
      );
    }
    if (
      body &&
      typeof body === "object" &&
      Array.isArray((body as { choices?: unknown }).choices) &&
      (body as { choices: unknown[] }).choices.length === 0
    ) {
      return gatewayError("the server answered with a completion that has no choices");
    }
    // A JSON body sent under another content type is still JSON: hand it on as such.
    const headers = new Headers(response.headers);
    headers.delete("content-encoding");
    headers.delete("content-length");
    headers.set("content-type", "application/json");
    return new Response(text, { status: response.status, statusText: response.statusText, headers });
  };
}
