import { test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { rawHttp, queryPath, queryBodies } from "../raw-http.mjs";

test("raw requests reuse kept-alive connections, send the body as given and fail on a non-200 answer", async () => {
  const sockets = new Set();
  const seen = [];
  const server = http.createServer((req, res) => {
    sockets.add(req.socket);
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      seen.push({ method: req.method, url: req.url, type: req.headers["content-type"], body });
      if (req.url === "/fail") { res.writeHead(500); res.end("boom"); return; }
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ ids: [["a", "b"]] }));
    });
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const send = rawHttp(`http://127.0.0.1:${server.address().port}`, 2);
  try {
    const [body] = queryBodies([[0.5, 1, 2]], 10);
    for (let i = 0; i < 20; i++) {
      const answer = await send("POST", queryPath("c1"), body);
      assert.deepEqual(JSON.parse(answer.toString()).ids[0], ["a", "b"]);
    }
    await send("GET", "/api/v2/heartbeat");
    await assert.rejects(send("GET", "/fail"), /HTTP 500 boom/);
    assert.equal(sockets.size, 1, "one connection for requests one after the other");
    assert.equal(seen[0].url, "/api/v2/tenants/default_tenant/databases/default_database/collections/c1/query");
    assert.equal(seen[0].type, "application/json");
    assert.deepEqual(JSON.parse(seen[0].body), { query_embeddings: [[0.5, 1, 2]], n_results: 10,
                                                 include: ["documents", "metadatas", "distances"] });
    assert.equal(seen[20].method, "GET");
    assert.equal(seen[20].body, "");
  } finally {
    send.close();
    server.close();
  }
});
