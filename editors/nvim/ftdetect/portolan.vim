" Portolan specs: `.ptl` files. Vim and Neovim map `.ptl` to Python (Python Template Language)
" by default, so the filetype is set, not only suggested with `setfiletype`.
if has('nvim-0.8')
  lua vim.filetype.add({ extension = { ptl = 'portolan' } })
endif
autocmd BufRead,BufNewFile *.ptl set filetype=portolan
