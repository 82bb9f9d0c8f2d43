// Drives the real agentls server over stdio the way VS Code does: same client capabilities, a
// workspace folder, an agent file opened as `markdown`, diagnostics pulled when the server offers
// pull (as VS Code does), else awaited as publishDiagnostics. The binary is found by the extension's
// own discovery: $AGENTLS_PATH, else the bundled server/agentls of $AGENTLS_EXTENSION_DIR (an unpacked
// .vsix; default this folder), else PATH. AGENTLS_EXPECT_SOURCE=bundled fails the run unless the
// binary found is the bundled one.
// The seed droid comes from $AGENTLS_SEED, else tests/fixtures/seed-droid.md in the repository.
import assert from 'node:assert/strict';
import * as cp from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import * as rpc from 'vscode-languageserver-protocol/node';
import { findServer, isExecutableFile, probeServer, serverCommand } from '../../src/discovery';
import { didChangeConfigurationParams, toInitializationOptions } from '../../src/settings';
import capabilities from './vscode-capabilities.json';

// Both the source (test/protocol) and the bundle (out/test/protocol) sit three levels below editors/vscode.
const sourceDir = join(__dirname, '..', '..', '..');
const repoDir = join(sourceDir, '..', '..');
const extensionDir = process.env.AGENTLS_EXTENSION_DIR || sourceDir;
const seedPath = process.env.AGENTLS_SEED || join(repoDir, 'tests', 'fixtures', 'seed-droid.md');
const TIMEOUT_MS = 10_000;

/** Settles with `promise`, or fails after `ms`, or as soon as `died` fires (the server quit early). */
function withTimeout<T>(promise: Promise<T>, what: string, ms = TIMEOUT_MS, died?: Promise<string>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
    died?.then((why) => (clearTimeout(timer), reject(new Error(`${why} while waiting for ${what}`))));
    promise.then(
      (v) => (clearTimeout(timer), resolve(v)),
      (e) => (clearTimeout(timer), reject(e)),
    );
  });
}

describe('agentls lsp, driven like VS Code', () => {
  let server: cp.ChildProcess;
  let conn: rpc.ProtocolConnection;
  let exited: Promise<number | null>;
  let died: Promise<string>;
  const wait = <T>(promise: Promise<T>, what: string) => withTimeout(promise, what, TIMEOUT_MS, died);
  let stderr = '';
  let workspace: string;
  let uri: string;
  let text: string;
  let serverCapabilities: rpc.ServerCapabilities;
  const published = new Map<string, rpc.Diagnostic[][]>();
  const publishWaiters: Array<() => void> = [];

  before(async () => {
    const found = findServer({ env: process.env, extensionPath: extensionDir, platform: process.platform, homedir: os.homedir(), isExecutableFile });
    assert.ok(found.found, `no agentls binary: set AGENTLS_PATH (${!found.found ? found.message : ''})`);
    const expected = process.env.AGENTLS_EXPECT_SOURCE;
    if (expected) {
      assert.equal(found.source, expected, `found ${found.path} through ${found.source}`);
    }
    const probe = await probeServer(found);
    assert.ok(probe.ok, !probe.ok ? probe.message : '');
    console.log(`# server: ${found.path} (${found.source}), ${probe.version}`);
    assert.ok(existsSync(seedPath), `seed droid not found at ${seedPath}; set AGENTLS_SEED`);

    workspace = mkdtempSync(join(os.tmpdir(), 'agentls-vscode-'));
    const file = join(workspace, '.factory', 'droids', 'senior-backend-developer.md');
    mkdirSync(join(workspace, '.factory', 'droids'), { recursive: true });
    text = readFileSync(seedPath, 'utf8');
    writeFileSync(file, text);
    uri = pathToFileURL(file).href;

    const { command, args } = serverCommand(found.path);
    server = cp.spawn(command, args, { cwd: workspace, stdio: ['pipe', 'pipe', 'pipe'] });
    server.stderr!.on('data', (chunk) => (stderr += chunk));
    // A server that dies early makes later writes fail with EPIPE; the tests report that themselves.
    server.stdin!.on('error', () => undefined);
    exited = new Promise((resolve) => server.on('exit', (code) => resolve(code)));
    died = exited.then((code) => `the server exited early (code ${code}, stderr: ${stderr.slice(-500) || 'empty'})`);
    conn = rpc.createProtocolConnection(new rpc.StreamMessageReader(server.stdout!), new rpc.StreamMessageWriter(server.stdin!));

    // Requests VS Code answers on the server's behalf; an unanswered request would stall some servers.
    conn.onRequest(rpc.ConfigurationRequest.type, (params) =>
      params.items.map((item) => (item.section === 'agentls' ? toInitializationOptions({}, os.homedir()) : null)),
    );
    conn.onRequest(rpc.RegistrationRequest.type, () => null);
    conn.onRequest(rpc.UnregistrationRequest.type, () => null);
    conn.onRequest(rpc.WorkDoneProgressCreateRequest.type, () => null);
    conn.onRequest(rpc.WorkspaceFoldersRequest.type, () => [{ uri: pathToFileURL(workspace).href, name: 'ws' }]);
    conn.onNotification(rpc.PublishDiagnosticsNotification.type, (params) => {
      published.set(params.uri, [...(published.get(params.uri) ?? []), params.diagnostics]);
      publishWaiters.splice(0).forEach((wake) => wake());
    });
    conn.listen();
  });

  after(() => {
    if (server && server.exitCode === null) {
      server.kill();
    }
    conn?.dispose();
    if (workspace) {
      rmSync(workspace, { recursive: true, force: true });
    }
  });

  it('initializes with VS Code capabilities and initializationOptions', async () => {
    const result = await wait(
      conn.sendRequest(rpc.InitializeRequest.type, {
        processId: process.pid,
        clientInfo: { name: 'Visual Studio Code', version: '1.91.0' },
        locale: 'en',
        rootPath: workspace,
        rootUri: pathToFileURL(workspace).href,
        capabilities: capabilities as rpc.ClientCapabilities,
        initializationOptions: toInitializationOptions({ policyPath: '', extraTools: ['Deploy'], dialect: 'auto' }, os.homedir()),
        trace: 'off',
        workspaceFolders: [{ uri: pathToFileURL(workspace).href, name: 'ws' }],
      }),
      'initialize',
    );
    serverCapabilities = result.capabilities;
    assert.ok(serverCapabilities.textDocumentSync, 'server announces text document sync');
    assert.ok(serverCapabilities.completionProvider, 'server announces completion');
    assert.ok(serverCapabilities.hoverProvider, 'server announces hover');
    await conn.sendNotification(rpc.InitializedNotification.type, {});
  });

  it('reports agentls diagnostics for the droid once it is opened', async () => {
    await conn.sendNotification(rpc.DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'markdown', version: 1, text },
    });
    let ours: rpc.Diagnostic[];
    if (serverCapabilities.diagnosticProvider) {
      // VS Code announces pull diagnostics, so a server that offers them is asked, as VS Code would do.
      const report = await wait(
        conn.sendRequest(rpc.DocumentDiagnosticRequest.type, { textDocument: { uri } }),
        'textDocument/diagnostic',
      );
      assert.equal(report.kind, 'full', 'a full report for a document asked about the first time');
      ours = (report.kind === 'full' ? report.items : []).filter((d) => d.source === 'agentls');
      assert.ok(ours.length > 0, `expected agentls diagnostics in the pulled report, got ${JSON.stringify(report)}`);
    } else {
      const pushed = () => (published.get(uri) ?? []).flat().filter((d) => d.source === 'agentls');
      await wait(
        (async () => {
          while (pushed().length === 0) {
            await new Promise<void>((wake) => publishWaiters.push(wake));
          }
        })(),
        `publishDiagnostics with source "agentls" for ${uri} (stderr: ${stderr.slice(-500)})`,
      );
      ours = pushed();
    }
    for (const d of ours) {
      assert.ok(d.range.start.line >= 0 && d.message.length > 0);
    }
  });

  it('completes tool names inside `tools: [`', async () => {
    const lines = text.split('\n');
    const line = lines.findIndex((l) => l.startsWith('tools: ['));
    assert.ok(line >= 0, 'seed has a tools: [ line');
    const result = await wait(
      conn.sendRequest(rpc.CompletionRequest.type, {
        textDocument: { uri },
        position: { line, character: 'tools: ['.length },
        context: { triggerKind: rpc.CompletionTriggerKind.Invoked },
      }),
      'completion',
    );
    const items = Array.isArray(result) ? result : (result?.items ?? []);
    assert.ok(items.length >= 1, `expected completion items, got ${JSON.stringify(result)}`);
  });

  it('hovers on the `model` key', async () => {
    const line = text.split('\n').findIndex((l) => l.startsWith('model:'));
    assert.ok(line >= 0, 'seed has a model: line');
    const hover = await wait(
      conn.sendRequest(rpc.HoverRequest.type, { textDocument: { uri }, position: { line, character: 2 } }),
      'hover',
    );
    assert.ok(hover, 'hover result is not null');
    const contents = hover.contents;
    const value = typeof contents === 'string' ? contents : Array.isArray(contents) ? contents.map((c) => (typeof c === 'string' ? c : c.value)).join('') : contents.value;
    assert.ok(value.trim().length > 0, 'hover has content');
  });

  it('accepts the settings the extension sends on change and keeps serving', async () => {
    await conn.sendNotification(
      rpc.DidChangeConfigurationNotification.type,
      didChangeConfigurationParams({ extraTools: ['Deploy'], dialect: 'factory' }, os.homedir()),
    );
    const line = text.split('\n').findIndex((l) => l.startsWith('model:'));
    // Any answer (even an empty hover) shows the server took the new settings and is still serving.
    await wait(
      conn.sendRequest(rpc.HoverRequest.type, { textDocument: { uri }, position: { line, character: 2 } }),
      'hover after didChangeConfiguration',
    );
    assert.equal(server.exitCode, null, 'server still running after a configuration change');
  });

  it('shuts down and exits with code 0 on exit', async () => {
    await wait(conn.sendRequest(rpc.ShutdownRequest.type), 'shutdown');
    await conn.sendNotification(rpc.ExitNotification.type);
    const code = await withTimeout(exited, 'the server process to exit', 5_000);
    assert.equal(code, 0);
  });
});
