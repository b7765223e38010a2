" Portolan syntax highlighting (a simpler cousin of the VS Code grammar in editors/vscode).
if exists('b:current_syntax')
  finish
endif

syntax keyword portolanItem use protocol component zone node flow policy document
syntax keyword portolanKeyword as param on optional shared relay configurable when not local trust cidr address in via route
syntax keyword portolanKeyword default require across within encrypted sections
syntax keyword portolanPortKind listen connect peer
syntax keyword portolanAction allow deny cleartext flows
syntax keyword portolanConstant untrusted dmz internal restricted any true false
syntax keyword portolanType port int bool string
syntax match portolanTransport /\<\(tcp+udp\|udp+tcp\|tcp\|udp\)\>/
syntax match portolanNumber /\<\d\+\>/
syntax match portolanAddress /\<\d\{1,3}\(\.\d\{1,3}\)\{3}\(\/\d\+\)\=/
syntax match portolanAddress /\<\x\{0,4}\(:\x\{0,4}\)\{2,7}\(\/\d\+\)\=/
syntax match portolanOperator /<->\|->\|\.\.\|[=+*-]/
syntax region portolanString start=/"/ skip=/\\./ end=/"\|$/ contains=portolanEscape oneline
syntax match portolanEscape /\\["\\nt]/ contained
syntax match portolanComment "//.*$" contains=@Spell
syntax match portolanDoc "///\(/\)\@!.*$" contains=@Spell
syntax match portolanDoc "//!.*$" contains=@Spell

highlight default link portolanItem Structure
highlight default link portolanKeyword Keyword
highlight default link portolanPortKind StorageClass
highlight default link portolanAction Conditional
highlight default link portolanConstant Constant
highlight default link portolanType Type
highlight default link portolanTransport Type
highlight default link portolanNumber Number
highlight default link portolanAddress Number
highlight default link portolanOperator Operator
highlight default link portolanString String
highlight default link portolanEscape SpecialChar
highlight default link portolanComment Comment
highlight default link portolanDoc SpecialComment

let b:current_syntax = 'portolan'
