-- Neovim 0.7 as an LSP client of `portolan lsp`, set up with editors/nvim (filetype detection and
-- lsp.lua): opens a file, waits for its diagnostics, asks for two definitions (one in the spec,
-- one in the standard library), jumps to the second, asks for references from there, and writes
-- what it saw (the clients included) as JSON to $PORTOLAN_NVIM_OUT. Driven by
-- compiler/cli/tests/nvim.rs.

local env = vim.env
local result = {}

vim.opt.runtimepath:append(env.PORTOLAN_NVIM_DIR)
dofile(env.PORTOLAN_NVIM_DIR .. "/lsp.lua").setup({ cmd = { env.PORTOLAN_BIN, "lsp" } })

local function finish()
  local file = io.open(env.PORTOLAN_NVIM_OUT, "w")
  file:write(vim.fn.json_encode(result))
  file:close()
  vim.cmd("qall!")
end

local function position(prefix)
  return { line = tonumber(env[prefix .. "_LINE"]), character = tonumber(env[prefix .. "_CHAR"]) }
end

-- The ids of the portolan clients attached to a buffer, or of all running ones.
local function clients(bufnr)
  local list
  if vim.lsp.get_clients ~= nil then
    list = vim.lsp.get_clients({ bufnr = bufnr })
  elseif bufnr ~= nil then
    list = vim.lsp.buf_get_clients(bufnr)
  else
    list = vim.lsp.get_active_clients()
  end
  local ids = {}
  for _, client in pairs(list) do
    if client.name == "portolan" then
      table.insert(ids, client.id)
    end
  end
  table.sort(ids)
  return ids
end

local function request(bufnr, method, params)
  local responses = vim.lsp.buf_request_sync(bufnr, method, params, 10000)
  for _, response in pairs(responses or {}) do
    if response.error then
      return { error = response.error.message }
    end
    return response.result
  end
  return { error = "no answer" }
end

local function definition(bufnr, uri, at)
  return request(bufnr, "textDocument/definition", { textDocument = { uri = uri }, position = at })
end

local function run()
  vim.cmd("edit " .. vim.fn.fnameescape(env.PORTOLAN_FILE))
  local bufnr = vim.api.nvim_get_current_buf()
  result.filetype = vim.bo[bufnr].filetype
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
    local stdlib_buf = vim.api.nvim_get_current_buf()
    result.jumped_to = vim.api.nvim_buf_get_name(0)
    result.jumped_line = vim.api.nvim_get_current_line()
    vim.wait(10000, function()
      return #clients(stdlib_buf) > 0
    end, 50)
    result.spec_clients = clients(bufnr)
    result.stdlib_clients = clients(stdlib_buf)
    result.all_clients = clients(nil)
    result.stdlib_references = request(stdlib_buf, "textDocument/references", {
      textDocument = { uri = vim.uri_from_bufnr(stdlib_buf) },
      position = location.range.start,
      context = { includeDeclaration = true },
    })
  end
end

vim.api.nvim_create_autocmd("VimEnter", {
  once = true,
  nested = true, -- so that `:edit` runs the filetype autocommands
  callback = function()
    local ok, err = pcall(run)
    if not ok then
      result.error = tostring(err)
    end
    finish()
  end,
})
