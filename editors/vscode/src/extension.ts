// The VS Code side of agentls: starts `agentls lsp` for agent definition files and keeps its
// settings in sync. Decisions live in plain modules (discovery, settings, selector) so they can be
//! unit-tested without VS Code; this file only wires them to the editor.

import * as os from 'os';
import * as vscode from 'vscode';
import {
  CloseAction,
  CloseHandlerResult,
  DidChangeConfigurationNotification,
  ErrorAction,
  ErrorHandler,
  LanguageClient,
  LanguageClientOptions,
  RevealOutputChannelOn,
  ServerOptions,
} from 'vscode-languageclient/node';
import { describeSource, findServer, isExecutableFile, probeServer, repairBundledMode, serverCommand } from './discovery';
import { documentSelector } from './selector';
import { RawSettings, didChangeConfigurationParams, toInitializationOptions } from './settings';

let client: LanguageClient | undefined;
let starting: Promise<void> | undefined;
let output: vscode.OutputChannel;
/** The last error shown in a pop-up, so repeated attempts (one per opened file) do not stack them. */
let shownError: string | undefined;

const selector = documentSelector();

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel('agentls');
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand('agentls.restartServer', () => restart(context)),
    vscode.commands.registerCommand('agentls.showOutput', () => output.show(true)),
    vscode.workspace.onDidChangeConfiguration((e) => onConfigurationChanged(e, context)),
    vscode.workspace.onDidGrantWorkspaceTrust(() => restart(context)),
    // The extension activates on any Markdown or YAML file, but the server is only started once an
    // agent file or the policy file is actually open.
    vscode.workspace.onDidOpenTextDocument((doc) => {
      if (isAgentDocument(doc)) {
        void ensureStarted(context);
      }
    }),
  );
  if (vscode.workspace.textDocuments.some(isAgentDocument)) {
    await ensureStarted(context);
  }
}

export async function deactivate(): Promise<void> {
  const running = client;
  client = undefined;
  await running?.stop();
}

function isAgentDocument(doc: vscode.TextDocument): boolean {
  return vscode.languages.match(selector, doc) > 0;
}

function readSettings(scope?: vscode.Uri): RawSettings {
  const config = vscode.workspace.getConfiguration('agentls', scope);
  return {
    policyPath: config.get('policyPath'),
    extraTools: config.get('extraTools'),
    dialect: config.get('dialect'),
    userScope: config.get('userScope'),
  };
}

function ensureStarted(context: vscode.ExtensionContext): Promise<void> {
  if (client) {
    return Promise.resolve();
  }
  starting ??= start(context).finally(() => {
    starting = undefined;
  });
  return starting;
}

async function start(context: vscode.ExtensionContext): Promise<void> {
  repairBundledMode(context.extensionPath, process.platform);
  const found = findServer({
    settingPath: vscode.workspace.getConfiguration('agentls').get<string>('server.path'),
    env: process.env,
    extensionPath: context.extensionPath,
    platform: process.platform,
    homedir: os.homedir(),
    workspaceFolder: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
    isExecutableFile,
  });
  if (!found.found) {
    showErrorOnce(found.message);
    return;
  }
  const probe = await probeServer(found);
  if (!probe.ok) {
    showErrorOnce(probe.message);
    return;
  }
  output.appendLine(`Starting ${found.path} lsp (${probe.version}, from ${describeSource(found.source)})`);

  const command = serverCommand(found.path);
  const serverOptions: ServerOptions = { run: command, debug: command };
  const clientOptions: LanguageClientOptions = {
    documentSelector: selector,
    outputChannel: output,
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    errorHandler: crashHandler(found.path),
    initializationOptions: () => toInitializationOptions(readSettings(), os.homedir()),
    middleware: {
      workspace: {
        // A server that pulls its settings gets the same normalised shape as initializationOptions.
        configuration: async (params, token, next) => {
          const answers = await next(params, token);
          if (!Array.isArray(answers)) {
            return answers;
          }
          return params.items.map((item, i) =>
            item.section === 'agentls'
              ? toInitializationOptions(readSettings(item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined), os.homedir())
              : answers[i],
          );
        },
      },
    },
  };

  // The server's `$/progress` needs nothing here: LanguageClient registers its ProgressFeature, which
  // announces `window.workDoneProgress` and shows `window/workDoneProgress/create` tokens in VS Code's
  // progress UI.
  const candidate = new LanguageClient('agentls', 'agentls', serverOptions, clientOptions);
  try {
    await candidate.start();
    client = candidate;
    shownError = undefined;
  } catch (error) {
    // The client has already reported the failure (output channel and its own notification);
    // adding another pop-up here would only stack a second message on the first.
    output.appendLine(`agentls failed to start: ${error instanceof Error ? error.message : String(error)}`);
    await candidate.dispose().catch(() => undefined);
  }
}

/**
 * Restarts a server that exits, as the default handler does, but after the fifth exit within three
 * minutes stops trying and says so with the same buttons as the not-found message.
 */
function crashHandler(binary: string): ErrorHandler {
  const exits: number[] = [];
  return {
    error: (_error, _message, count) => ({ action: (count ?? 0) <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown }),
    closed: (): CloseHandlerResult => {
      const now = Date.now();
      exits.push(now);
      while (exits.length > 0 && now - exits[0] > 3 * 60_000) {
        exits.shift();
      }
      if (exits.length < 5) {
        output.appendLine(`agentls exited; restarting it (${exits.length} exit(s) in the last 3 minutes)`);
        return { action: CloseAction.Restart, handled: true };
      }
      showErrorOnce(
        `agentls: the server at ${binary} exited 5 times in 3 minutes and will not be restarted. See "agentls: Show Output" for its log; after fixing it, or pointing agentls.server.path at another binary, run "agentls: Restart Server".`,
      );
      return { action: CloseAction.DoNotRestart, handled: true };
    },
  };
}

async function restart(context: vscode.ExtensionContext): Promise<void> {
  shownError = undefined;
  await starting;
  const running = client;
  client = undefined;
  if (running) {
    output.appendLine('Restarting agentls');
    await running.stop().catch((error) => output.appendLine(`Stopping agentls failed: ${String(error)}`));
  }
  await ensureStarted(context);
}

async function onConfigurationChanged(e: vscode.ConfigurationChangeEvent, context: vscode.ExtensionContext): Promise<void> {
  if (!e.affectsConfiguration('agentls')) {
    return;
  }
  if (e.affectsConfiguration('agentls.server.path')) {
    await restart(context);
    return;
  }
  // `agentls.trace.server` is applied by the language client itself, keyed by the client id.
  if (client?.isRunning()) {
    await client.sendNotification(DidChangeConfigurationNotification.type, didChangeConfigurationParams(readSettings(), os.homedir()));
  }
}

function showErrorOnce(message: string): void {
  output.appendLine(message);
  if (shownError === message) {
    return;
  }
  shownError = message;
  void vscode.window.showErrorMessage(message, 'Open Settings', 'Show Output').then((choice) => {
    if (choice === 'Open Settings') {
      void vscode.commands.executeCommand('workbench.action.openSettings', 'agentls.server.path');
    } else if (choice === 'Show Output') {
      output.show(true);
    }
  });
}
