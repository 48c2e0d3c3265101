# Sourced by the benchmark scripts.
# replace_section FILE NAME CONTENT: replaces the lines from <!-- NAME:begin --> to <!-- NAME:end --> with the file
# CONTENT (which carries the markers), or appends CONTENT when the markers are absent; keeps everything else.
replace_section() {
  local file=$1 begin="<!-- $2:begin -->" end="<!-- $2:end -->" content=$3 has_begin has_end
  if [ ! -f "$file" ]; then
    printf '# Benchmarks\n\nWritten by the scripts/bench-*.sh scripts, each between its own markers; do not edit by hand.\n' >"$file"
  fi
  has_begin=$(grep -cxF -- "$begin" "$file" || true)
  has_end=$(grep -cxF -- "$end" "$file" || true)
  if [ "$has_begin" = 1 ] && [ "$has_end" = 1 ]; then
    awk -v begin="$begin" -v end="$end" -v content="$content" '
      $0 == begin { while ((getline line < content) > 0) print line; skipping = 1; next }
      $0 == end   { skipping = 0; next }
      !skipping   { print }' "$file" >"$file.tmp"
  elif [ "$has_begin" = 0 ] && [ "$has_end" = 0 ]; then
    { cat "$file"; echo; cat "$content"; } >"$file.tmp"
  else
    echo "$file has $has_begin '$begin' and $has_end '$end' lines; fix the markers by hand" >&2
    exit 1
  fi
  mv "$file.tmp" "$file"
}
