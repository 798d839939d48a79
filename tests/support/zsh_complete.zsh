# SPDX-License-Identifier: MIT
# zsh -f tests/support/zsh_complete.zsh FPATH_DIR 'COMMAND LINE' ['COMMAND LINE' ...]
# For each COMMAND LINE, prints a line "== N" (N = 1, 2, ...) and then, one a line, the matches
# zsh's completion system offers at its end (as if TAB was pressed there), with the completion
# functions of FPATH_DIR. One interactive zsh on a pseudo-terminal (zpty) completes them all, in
# turn: its compadd also reports every match it adds. Exit 0 when every completion ran (even
# with no match), 2 when the shell stopped answering.
zmodload zsh/zpty || exit 2
dir=$1
shift
setup=$(mktemp) || exit 2
trap 'rm -f $setup; zpty -d c 2>/dev/null' EXIT
cat >$setup <<SETUP
PROMPT=''
RPROMPT=''
unsetopt zle_bracketed_paste auto_list beep 2>/dev/null
fpath=(${(q)dir} \$fpath)
bindkey '^U' kill-whole-line
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
# TAB: complete, then say so.
zsh_complete_tab() {
  zle complete-word
  print -rn -- $'\n'END$'\n' >/dev/tty
}
zle -N zsh_complete_tab
bindkey '^I' zsh_complete_tab
SETUP

# read_until MARKER SECONDS: reads the shell's output into $out until it holds MARKER.
read_until() {
  local chunk i
  out=""
  for i in {1..$(( $2 * 40 ))}; do
    if zpty -r -t c chunk; then
      out+=$chunk
      [[ $out == *$1* ]] && return 0
    else
      sleep 0.025
    fi
  done
  print -u2 "zsh did not answer within $2 s: ${(q)out}"
  exit 2
}

zpty c zsh -f -i || exit 2
# compinit on the command line: run from a sourced file it takes seconds, not 0.1 s.
zpty -w c "source ${(q)setup}; autoload -Uz compinit && compinit -u -D; print -rn -- READY\$'\\n'"
read_until READY 10
n=0
for line in "$@"; do
  print -r -- "== $((++n))"
  zpty -n -w c "$line"$'\t'
  read_until $'\n'END 20
  for l in ${(f)out}; do
    l=${l%$'\r'}
    [[ $l == HIT:* ]] && print -r -- ${l#HIT:}
  done
  zpty -n -w c $'\C-u' # an empty line for the next one
done
exit 0
