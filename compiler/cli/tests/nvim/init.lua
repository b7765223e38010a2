-- Neovim 0.7 as an LSP client of `portolan lsp`: opens a file, waits for its diagnostics, asks
-- for two definitions (one in the spec, one in the standard library), jumps to the second, and
-- writes what it saw as JSON to $PORTOLAN_NVIM_OUT. Driven by compiler/cli/tests/nvim.rs.

local env = vim.env
local result = {}

local function finish()
  local file = io.open(env.PORTOLAN_NVIM_OUT, "w")
  file:write(vim.fn.json_encode(result))
  file:close()
  vim.cmd("qall!")
end

local function position(prefix)
  return { line = tonumber(env[prefix .. "_LINE"]), character = tonumber(env[prefix .. "_CHAR"]) }
end

local function definition(bufnr, uri, at)
  local params = { textDocument = { uri = uri }, position = at }
  local responses = vim.lsp.buf_request_sync(bufnr, "textDocument/definition", params, 10000)
  for _, response in pairs(responses or {}) do
    if response.error then
      return { error = response.error.message }
    end
    return response.result
  end
  return { error = "no answer" }
end

local function run()
  vim.cmd("edit " .. vim.fn.fnameescape(env.PORTOLAN_FILE))
  local bufnr = vim.api.nvim_get_current_buf()
  local client = vim.lsp.start_client({
    name = "portolan",
    cmd = { env.PORTOLAN_BIN, "lsp" },
    root_dir = vim.fn.fnamemodify(env.PORTOLAN_FILE, ":h"),
  })
  vim.lsp.buf_attach_client(bufnr, client)
  result.got_diagnostics = vim.wait(20000, function()
    return #vim.diagnostic.get(bufnr) > 0
  end, 50)
  result.diagnostics = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    local lsp = (d.user_data or {}).lsp or {}
    table.insert(result.diagnostics, {
      lnum = d.lnum, col = d.col, severity = d.severity, message = d.message, code = lsp.code or d.code,
    })
  end
  local uri = vim.uri_from_bufnr(bufnr)
  result.definition = definition(bufnr, uri, position("PORTOLAN_DEF"))
  local stdlib = definition(bufnr, env.PORTOLAN_OTHER_URI, position("PORTOLAN_STDLIB"))
  result.stdlib_definition = stdlib
  -- Follow it as `gd` would: the standard library's source opens as a file.
  local location = stdlib[1] or stdlib
  if location.uri then
    vim.lsp.util.jump_to_location(location, "utf-16")
    result.jumped_to = vim.api.nvim_buf_get_name(0)
    result.jumped_line = vim.api.nvim_get_current_line()
  end
end

local ok, err = pcall(run)
if not ok then
  result.error = tostring(err)
end
finish()
