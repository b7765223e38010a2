// The Portolan extension: starts `portolan lsp` over stdio for `.ptl` files.
//
// The binary is the `portolan.server.path` setting when set, else `portolan` found on PATH.
// Highlighting comes from the TextMate grammar and works without the server.

import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ExtensionContext, commands, window, workspace } from "vscode";
import { LanguageClient, LanguageClientOptions, ServerOptions } from "vscode-languageclient/node";

let client: LanguageClient | undefined;

export async function activate(context: ExtensionContext): Promise<void> {
  context.subscriptions.push(
    commands.registerCommand("portolan.restartServer", () => restart()),
    workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration("portolan.server.path")) {
        void restart();
      }
    }),
  );
  await start();
}

export async function deactivate(): Promise<void> {
  await stop();
}

async function restart(): Promise<void> {
  await stop();
  await start();
}

async function stop(): Promise<void> {
  const running = client;
  client = undefined;
  if (running) {
    await running.stop();
  }
}

async function start(): Promise<void> {
  const found = findServer();
  if ("error" in found) {
    const choice = await window.showErrorMessage(found.error, "Open Settings");
    if (choice === "Open Settings") {
      await commands.executeCommand("workbench.action.openSettings", "portolan.server.path");
    }
    return;
  }
  const serverOptions: ServerOptions = {
    run: { command: found.command, args: ["lsp"] },
    debug: { command: found.command, args: ["lsp"] },
  };
  const clientOptions: LanguageClientOptions = {
    // One client, so one server, for every Portolan document of the window. The standard
    // library's sources that go-to-definition opens (`<cache>/portolan/stdlib-<version>/`) are
    // `.ptl` files too: they join this client, whose server answers hover and references there
    // against the spec that is open. The pattern keeps them here even when `files.associations`
    // gives them another language.
    documentSelector: [
      { scheme: "file", language: "portolan" },
      { scheme: "file", pattern: "**/portolan/stdlib-*/**/*.ptl" },
      { scheme: "untitled", language: "portolan" },
    ],
    synchronize: { fileEvents: workspace.createFileSystemWatcher("**/*.ptl") },
  };
  client = new LanguageClient("portolan", "Portolan", serverOptions, clientOptions);
  try {
    await client.start();
  } catch (err) {
    client = undefined;
    void window.showErrorMessage(`Portolan: \`${found.command} lsp\` failed to start: ${String(err)}`);
  }
}

/** The server binary: the setting when set, else `portolan` on PATH. */
function findServer(): { command: string } | { error: string } {
  const configured = workspace.getConfiguration("portolan").get<string>("server.path", "").trim();
  if (configured !== "") {
    const expanded = configured.startsWith("~") ? path.join(os.homedir(), configured.slice(1)) : configured;
    if (isExecutable(expanded)) {
      return { command: expanded };
    }
    return {
      error: `Portolan: the language server binary \`${configured}\` (setting \`portolan.server.path\`) does not exist or is not executable.`,
    };
  }
  const onPath = searchPath("portolan");
  if (onPath) {
    return { command: onPath };
  }
  return {
    error:
      "Portolan: cannot find `portolan` on PATH, so diagnostics and formatting are off. " +
      "Install it (`cargo install --path compiler/cli` in the Portolan repository) or set `portolan.server.path`.",
  };
}

function searchPath(name: string): string | undefined {
  const folders = (process.env.PATH ?? "").split(path.delimiter).filter((folder) => folder !== "");
  const extensions =
    process.platform === "win32" ? (process.env.PATHEXT ?? ".EXE;.CMD;.BAT").split(";").concat([""]) : [""];
  for (const folder of folders) {
    for (const extension of extensions) {
      const candidate = path.join(folder, name + extension);
      if (isExecutable(candidate)) {
        return candidate;
      }
    }
  }
  return undefined;
}

function isExecutable(file: string): boolean {
  try {
    if (!fs.statSync(file).isFile()) {
      return false;
    }
    fs.accessSync(file, process.platform === "win32" ? fs.constants.F_OK : fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
