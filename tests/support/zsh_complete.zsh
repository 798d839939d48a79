# SPDX-License-Identifier: MIT
# zsh -f tests/support/zsh_complete.zsh FPATH_DIR 'COMMAND LINE'
# Prints, one a line, the matches zsh's completion system offers at the end of COMMAND LINE
# (as if TAB was pressed there), with the completion functions of FPATH_DIR. Runs an
# interactive zsh on a pseudo-terminal (zpty) whose compadd also reports every match it adds.
# Exit 0 when the completion ran (even with no match), 2 when the shell never answered.
zmodload zsh/zpty || exit 2
dir=$1 line=$2
setup=$(mktemp) || exit 2
trap 'rm -f $setup; zpty -d c 2>/dev/null' EXIT
cat >$setup <<SETUP
PROMPT=''
RPROMPT=''
unsetopt zle_bracketed_paste 2>/dev/null
fpath=(${(q)dir} \$fpath)
autoload -Uz compinit && compinit -u -D
bindkey '^I' complete-word
zstyle ':completion:*' insert-tab false
compadd() {
  # Calls that only ask for the matches (-O, -A, -D) are helpers' business: pass them on.
  if [[ \${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then
    builtin compadd "\$@"
    return
  fi
  local -a __hits
  builtin compadd -A __hits "\$@"
  (( \$#__hits )) || return 1
  print -rn -- \${(j::)\${(@)^__hits/(#s)/$'\n'HIT:}} >/dev/tty
  builtin compadd "\$@"
}
zsh_complete_done() { print -rn -- $'\n'END$'\n' >/dev/tty; exit }
comppostfuncs=(zsh_complete_done)
print -rn -- READY$'\n'
SETUP
zpty c zsh -f -i || exit 2
zpty -w c "source ${(q)setup}"
out=""
for i in {1..200}; do
  zpty -r -t c chunk && out+=$chunk && [[ $out == *READY* ]] && break
  sleep 0.05
done
[[ $out == *READY* ]] || { print -u2 "zsh did not start: $out"; exit 2 }
zpty -n -w c "$line"$'\t'
out=""
for i in {1..400}; do
  zpty -r -t c chunk && out+=$chunk && [[ $out == *$'\n'END* ]] && break
  sleep 0.05
done
[[ $out == *$'\n'END* ]] || { print -u2 "no completion came: $out"; exit 2 }
for l in ${(f)out}; do
  l=${l%$'\r'}
  [[ $l == HIT:* ]] && print -r -- ${l#HIT:}
done
exit 0
