// Requests over plain HTTP/1.1 keep-alive connections with bodies encoded once, before the load: the server's
// share of a request without the official client's encoding and decoding (issue 19's "raw HTTP" figures). On a
// 2-core machine the harness shares the cores with the server, so the client's own CPU per request bounds what
// a load of 8 clients can show; these requests cost a fraction of a client call.
import http from "node:http";

/** A function (method, path, body?) => Promise<Buffer> over at most `sockets` kept-alive connections to `baseUrl`. */
export function rawHttp(baseUrl, sockets) {
  const u = new URL(baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: sockets });
  const send = (method, path, body) => new Promise((resolve, reject) => {
    const headers = body === undefined ? {} : { "content-type": "application/json", "content-length": Buffer.byteLength(body) };
    const req = http.request({ host: u.hostname, port: u.port, method, path, agent, headers }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => {
        const data = Buffer.concat(chunks);
        if (res.statusCode === 200) resolve(data);
        else reject(new Error(`${method} ${path}: HTTP ${res.statusCode} ${data.toString("utf8", 0, Math.min(data.length, 200))}`));
      });
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
  send.close = () => agent.destroy();
  return send;
}

/** The Chroma v2 path of a collection's query endpoint in the default tenant and database. */
export const queryPath = (collectionId) =>
  `/api/v2/tenants/default_tenant/databases/default_database/collections/${collectionId}/query`;

/** One JSON body per query vector (k-NN, default include of the JS client), encoded once. */
export function queryBodies(vectors, k) {
  return vectors.map((v) => JSON.stringify({ query_embeddings: [v], n_results: k, include: ["documents", "metadatas", "distances"] }));
}
