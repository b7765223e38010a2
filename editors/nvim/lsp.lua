-- Starts the Portolan language server (`portolan lsp`, over stdio) for `portolan` buffers.
--
-- Works on Neovim 0.7 (vim.lsp.start_client + vim.lsp.buf_attach_client) and on later versions
-- (vim.lsp.start, used when present). A standard-library source opened by go-to-definition joins
-- the client it was reached from instead of starting a server of its own. Usage, in init.lua:
--
--   dofile('/path/to/portolan/editors/nvim/lsp.lua').setup()
--   -- or with options: setup({ cmd = { '/opt/portolan/bin/portolan', 'lsp' }, on_attach = fn })

local M = {}

-- One client per root folder, for Neovims without vim.lsp.start.
local clients = {}
-- The client of each spec buffer, and the client last used from a spec buffer.
local attached = {}
local last = nil
local warned = false

-- Whether a file is a standard-library source that the server wrote to its cache folder
-- (`.../portolan/stdlib-<version>/std/proto.ptl`), where go-to-definition leads.
local function is_stdlib(name)
  return (name:gsub('\\', '/')):find('/portolan/stdlib%-[^/]+/') ~= nil
end

-- The client a standard-library buffer joins: the one it was reached from (the client last
-- used from a spec buffer), else any running portolan client. Its server answers hover and
-- references there against the spec that client has open.
local function stdlib_client()
  if last ~= nil and vim.lsp.get_client_by_id(last) ~= nil then
    return last
  end
  for _, client in pairs((vim.lsp.get_clients or vim.lsp.get_active_clients)()) do
    if client.name == 'portolan' then
      return client.id
    end
  end
  return nil
end

-- The folder holding `.git` above the buffer's file, else the file's own folder.
local function root_dir(bufnr)
  local name = vim.api.nvim_buf_get_name(bufnr)
  local folder = name ~= '' and vim.fn.fnamemodify(name, ':p:h') or vim.fn.getcwd()
  local git = vim.fn.finddir('.git', folder .. ';')
  if git == '' then
    git = vim.fn.findfile('.git', folder .. ';') -- a worktree's `.git` is a file
  end
  if git ~= '' then
    return vim.fn.fnamemodify(git, ':p:h:h')
  end
  return folder
end

local function config(opts, root)
  return {
    name = 'portolan',
    cmd = opts.cmd,
    root_dir = root,
    on_attach = opts.on_attach,
    capabilities = opts.capabilities,
  }
end

function M.attach(bufnr, opts)
  if vim.fn.executable(opts.cmd[1]) ~= 1 then
    if not warned then
      warned = true
      vim.notify(
        'portolan: `' .. opts.cmd[1] .. '` not found; install it or pass setup({ cmd = { "/path/to/portolan", "lsp" } })',
        vim.log.levels.WARN
      )
    end
    return
  end
  if is_stdlib(vim.api.nvim_buf_get_name(bufnr)) then
    local id = stdlib_client()
    if id ~= nil then
      vim.lsp.buf_attach_client(bufnr, id)
      return
    end
  end
  local root = root_dir(bufnr)
  local id
  if vim.lsp.start ~= nil then
    id = vim.lsp.start(config(opts, root), { bufnr = bufnr })
  else
    id = clients[root]
    if id == nil or vim.lsp.get_client_by_id(id) == nil then
      id = vim.lsp.start_client(config(opts, root))
      clients[root] = id
    end
    if id ~= nil then
      vim.lsp.buf_attach_client(bufnr, id)
    end
  end
  if id == nil then
    vim.notify('portolan: `' .. table.concat(opts.cmd, ' ') .. '` failed to start', vim.log.levels.ERROR)
    return
  end
  attached[bufnr] = id
  last = id
end

function M.setup(opts)
  opts = opts or {}
  opts.cmd = opts.cmd or { 'portolan', 'lsp' }
  local group = vim.api.nvim_create_augroup('portolan_lsp', { clear = true })
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = 'portolan',
    callback = function(args)
      M.attach(args.buf, opts)
    end,
  })
  vim.api.nvim_create_autocmd('BufEnter', {
    group = group,
    callback = function(args)
      if attached[args.buf] ~= nil then
        last = attached[args.buf]
      end
    end,
  })
  vim.api.nvim_create_autocmd('BufWipeout', {
    group = group,
    callback = function(args)
      attached[args.buf] = nil
    end,
  })
end

return M
