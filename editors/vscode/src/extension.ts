// The VS Code side of agentls: starts `agentls lsp` for agent definition files and keeps its
// settings in sync. Decisions live in plain modules (discovery, settings, selector) so they can be
//! unit-tested without VS Code; this file only wires them to the editor.

import * as os from 'os';
import * as vscode from 'vscode';
import {
  DidChangeConfigurationNotification,
  LanguageClient,
  LanguageClientOptions,
  RevealOutputChannelOn,
  ServerOptions,
} from 'vscode-languageclient/node';
import { findServer, isExecutableFile, serverCommand } from './discovery';
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
  return { policyPath: config.get('policyPath'), extraTools: config.get('extraTools'), dialect: config.get('dialect') };
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
  output.appendLine(`Starting ${found.path} lsp (found via ${found.source})`);

  const command = serverCommand(found.path);
  const serverOptions: ServerOptions = { run: command, debug: command };
  const clientOptions: LanguageClientOptions = {
    documentSelector: selector,
    outputChannel: output,
    revealOutputChannelOn: RevealOutputChannelOn.Never,
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
