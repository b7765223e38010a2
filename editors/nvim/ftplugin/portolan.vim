" Portolan buffers: `//` comments (`///` doc comments), 4-space indentation, as `portolan fmt` writes.
if exists('b:did_ftplugin')
  finish
endif
let b:did_ftplugin = 1

setlocal commentstring=//\ %s
setlocal comments=:///,://!,://
setlocal expandtab shiftwidth=4 softtabstop=4 tabstop=4
setlocal formatoptions-=t formatoptions+=croql
" `gq` and `=` on a whole buffer: the formatter reads stdin and writes stdout.
if executable('portolan')
  setlocal formatprg=portolan\ fmt\ --stdin
endif

let b:undo_ftplugin = 'setlocal commentstring< comments< expandtab< shiftwidth< softtabstop< tabstop< formatoptions< formatprg<'
