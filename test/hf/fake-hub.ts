/**
 * A fake Hugging Face Hub on 127.0.0.1 (node:http) serving local folders as dataset repositories, with the
 * two endpoints personax uses: `GET /api/datasets/{repo}/tree/{rev}?recursive=true` and
 * `GET|HEAD /datasets/{repo}/resolve/{rev}/{path}` (Range requests → 206, X-Repo-Commit, ETag). Every file
 * is listed like an LFS file (lfs.oid = sha256), as the Hub lists Parquet files. It can require a token
 * (401 otherwise) and cut the connection partway through a file, and records every request.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createHash } from "node:crypto";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";

export interface FakeRepo {
  /** Folder served as the repository (e.g. the output of `personax export --hf`). */
  dir: string;
  /** Revisions (branch names) that resolve to `commit`; default ["main"]. */
  revisions?: string[];
  commit?: string;
  /** When set, requests need `Authorization: Bearer <token>` (401 otherwise). */
  token?: string;
}

export interface HubRequest {
  method: string;
  url: string;
  range: string | undefined;
  authorized: boolean;
  status: number;
  /** Bytes of body sent before the connection was cut (cut requests only). */
  cutAt?: number;
}

export interface FakeHub {
  endpoint: string;
  requests: HubRequest[];
  /** The next `times` GETs of `path` (a resolve download) stop after `afterBytes` bytes and destroy the socket. */
  cutConnection(path: string, afterBytes: number, times?: number): void;
  close(): Promise<void>;
}

interface ServedFile { path: string; bytes: Buffer; sha256: string; oid: string }

function listFiles(dir: string): ServedFile[] {
  const out: ServedFile[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else {
        const bytes = readFileSync(full);
        out.push({
          path: relative(dir, full).split("\\").join("/"), bytes, sha256: createHash("sha256").update(bytes).digest("hex"),
          oid: createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex"),
        });
      }
    }
  };
  walk(dir);
  return out;
}

export async function startFakeHub(repos: Record<string, FakeRepo>): Promise<FakeHub> {
  const served = new Map(Object.entries(repos).map(([id, r]) => [id, {
    ...r, files: listFiles(r.dir), revisions: r.revisions ?? ["main"],
    commit: r.commit ?? createHash("sha1").update(id).digest("hex"),
  }]));
  const requests: HubRequest[] = [];
  const cuts: Array<{ path: string; afterBytes: number; times: number }> = [];

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const record: HubRequest = { method: req.method ?? "GET", url: url.pathname + url.search, range: req.headers.range, authorized: false, status: 0 };
    requests.push(record);
    const send = (status: number, body: string, headers: Record<string, string> = {}) => {
      record.status = status;
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(body);
    };
    const tree = /^\/api\/datasets\/([^/]+\/[^/]+)\/tree\/([^/]+)\/?$/.exec(url.pathname);
    const resolve = /^\/datasets\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(url.pathname);
    const [repoId, rev] = tree ? [tree[1]!, decodeURIComponent(tree[2]!)] : resolve ? [resolve[1]!, decodeURIComponent(resolve[2]!)] : ["", ""];
    const repo = served.get(repoId);
    if (!tree && !resolve) return send(404, JSON.stringify({ error: "Not Found" }));
    // As the Hub: an unknown or gated repository without access answers 401 (no token) the same way.
    const auth = req.headers.authorization;
    record.authorized = Boolean(repo && (!repo.token || auth === `Bearer ${repo.token}`));
    if (repo?.token && !record.authorized) return send(401, JSON.stringify({ error: "Invalid credentials in Authorization header" }), { "x-error-code": "GatedRepo" });
    if (!repo) return send(404, JSON.stringify({ error: "Repository not found" }), { "x-error-code": "RepoNotFound" });
    if (!repo.revisions.includes(rev) && rev !== repo.commit) return send(404, JSON.stringify({ error: `Invalid rev id: ${rev}` }), { "x-error-code": "RevisionNotFound" });
    if (tree) {
      const dirs = new Set<string>();
      for (const f of repo.files) {
        const parts = f.path.split("/");
        for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join("/"));
      }
      const entries = [
        ...[...dirs].map((path) => ({ type: "directory", oid: createHash("sha1").update(path).digest("hex"), size: 0, path })),
        ...repo.files.map((f) => ({ type: "file", oid: f.oid, size: f.bytes.length, path: f.path, lfs: { oid: f.sha256, size: f.bytes.length, pointerSize: 134 } })),
      ];
      return send(200, JSON.stringify(entries));
    }
    const path = decodeURIComponent(resolve![3]!);
    const file = repo.files.find((f) => f.path === path);
    if (!file) return send(404, JSON.stringify({ error: "Entry not found" }), { "x-error-code": "EntryNotFound" });
    const headers = { "x-repo-commit": repo.commit, etag: `"${file.sha256}"`, "x-linked-etag": `"${file.sha256}"`, "accept-ranges": "bytes", "content-type": "application/octet-stream" };
    const total = file.bytes.length;
    let start = 0, status = 200;
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? "");
    if (range) {
      start = Number(range[1]);
      if (start >= total) { record.status = 416; res.writeHead(416, { ...headers, "content-range": `bytes */${total}` }); return res.end(); }
      status = 206;
    }
    const body = file.bytes.subarray(start);
    record.status = status;
    res.writeHead(status, { ...headers, "content-length": String(body.length), ...(status === 206 ? { "content-range": `bytes ${start}-${total - 1}/${total}` } : {}) });
    if (req.method === "HEAD") return res.end();
    const cut = cuts.find((c) => c.path === path && c.times > 0);
    if (cut) {
      cut.times--;
      const part = body.subarray(0, Math.max(0, cut.afterBytes - start));
      record.cutAt = part.length;
      res.write(part, () => setTimeout(() => res.socket?.destroy(), 20));
      return;
    }
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    cutConnection: (path, afterBytes, times = 1) => void cuts.push({ path, afterBytes, times }),
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}
