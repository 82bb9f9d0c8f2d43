"""The language server driven by pytest-lsp (pygls + lsprotocol), a client independent of ours."""

import asyncio
import os
import pathlib

import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

ROOT = pathlib.Path(os.environ["AGENTLS_ROOT"])
SEED = (ROOT / "tests" / "fixtures" / "seed-droid.md").read_text()
WS = "file:///ws"
DROID = f"{WS}/.factory/droids/senior-backend-developer.md"
CLAUDE = f"{WS}/.claude/agents/senior-backend-developer.md"
SERVER_CAPS: dict[str, bool] = {}


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[os.environ["AGENTLS_BIN"], "lsp"]))
async def client(lsp_client: LanguageClient):
    # Neovim's capabilities: push diagnostics are what this suite observes. They include refresh
    # support for inlay hints and code lenses, which Neovim answers; so does this client.
    caps = client_capabilities("neovim")

    @lsp_client.feature(types.WORKSPACE_INLAY_HINT_REFRESH)
    def _inlay_refresh(_params):
        return None

    @lsp_client.feature(types.WORKSPACE_CODE_LENS_REFRESH)
    def _lens_refresh(_params):
        return None

    result = await lsp_client.initialize_session(types.InitializeParams(capabilities=caps, root_uri=WS))
    SERVER_CAPS["pull"] = result.capabilities.diagnostic_provider is not None
    yield
    await lsp_client.shutdown_session()


def open_doc(client: LanguageClient, uri: str, text: str, version: int = 1) -> None:
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id="markdown", version=version, text=text)
        )
    )


async def diagnostics(client: LanguageClient, uri: str) -> list[types.Diagnostic]:
    """Pulled diagnostics when the server offers pull (it then stops pushing), else pushed ones."""
    if client.capabilities is not None and SERVER_CAPS.get("pull"):
        report = await client.text_document_diagnostic_async(
            types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=uri))
        )
        return report.items
    for _ in range(50):
        if uri in client.diagnostics:
            return client.diagnostics[uri]
        await asyncio.wait_for(client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS), timeout=10)
    report = await client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    return report.items


def line_of(text: str, needle: str) -> tuple[int, int]:
    for i, line in enumerate(text.splitlines()):
        if needle in line:
            return i, line.index(needle)
    raise AssertionError(needle)


async def test_seed_as_droid_diagnostics(client: LanguageClient):
    open_doc(client, DROID, SEED)
    diags = await diagnostics(client, DROID)
    by_code = {}
    for d in diags:
        by_code.setdefault(d.code, []).append(d)
    line, col = line_of(SEED, '"MultiEdit"')
    # Factory's CLI still accepts MultiEdit and maps it to Edit (v0.225.2): deprecated, an info.
    deprecated = [d for d in by_code["deprecated-tool"] if d.range.start.line == line][0]
    assert deprecated.severity == types.DiagnosticSeverity.Information
    assert deprecated.range.start == types.Position(line=line, character=col + 1)
    assert deprecated.range.end == types.Position(line=line, character=col + 1 + len("MultiEdit"))
    assert any(d.range.start.line == line for d in by_code["unavailable-tool"])
    assert all(d.source == "agentls" for d in diags)
    assert "body-tool-not-granted" in by_code


async def test_completion_offers_dialect_tools(client: LanguageClient):
    text = '---\nname: x\ndescription: y\ntools: ["Read", ]\n---\nBody\n'
    pos = types.Position(line=3, character=len('tools: ["Read", '))
    for uri, wanted, unwanted in [(DROID, "Execute", "Bash"), (CLAUDE, "Bash", "Execute")]:
        open_doc(client, uri, text)
        result = await client.text_document_completion_async(
            types.CompletionParams(text_document=types.TextDocumentIdentifier(uri=uri), position=pos)
        )
        items = result.items if isinstance(result, types.CompletionList) else result
        labels = {i.label for i in items}
        assert wanted in labels, labels
        assert unwanted not in labels, labels
        assert "Read" not in labels


async def test_hover_on_core_purpose(client: LanguageClient):
    open_doc(client, DROID, SEED)
    line, col = line_of(SEED, "## Core Purpose")
    hover = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=DROID), position=types.Position(line=line, character=col + 5)
        )
    )
    assert hover is not None
    assert "purpose" in hover.contents.value.lower()


async def test_insert_missing_section_action(client: LanguageClient):
    text = "---\nname: reviewer\ndescription: Reviews code\n---\nIntro.\n"
    uri = f"{WS}/.claude/agents/reviewer.md"
    open_doc(client, uri, text)
    await diagnostics(client, uri)
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=types.Range(start=types.Position(line=4, character=0), end=types.Position(line=4, character=0)),
            context=types.CodeActionContext(diagnostics=[]),
        )
    )
    titles = [a.title for a in actions]
    core = next(a for a in actions if "Core Purpose" in a.title and "all" not in a.title.lower())
    edits = core.edit.changes[uri]
    assert len(edits) == 1
    assert "## Core Purpose" in edits[0].new_text, titles
