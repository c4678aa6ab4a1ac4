#!/usr/bin/env bash
# How the woff2 files here were made: subsets of Debian's fonts-noto-core (OFL.txt), one file
# per script, weight and style; the ranges are the unicode-range of each @font-face in
# static/css/site.css. Run from the repository: bash static/fonts/subset.sh
set -euo pipefail
NOTO=/usr/share/fonts/truetype/noto
PY="$PWD/.venv/bin/pyftsubset"  # fontTools, a WeasyPrint dependency
LATIN="U+0000-024F,U+0259,U+02BB-02BC,U+02C6,U+02DA,U+02DC,U+0300-036F,U+0400-04FF,U+1E00-1EFF,U+2000-206F,U+20A0-20CF,U+2100-2152,U+2190-2193,U+2212,U+2215,U+FEFF,U+FFFD"
ARMENIAN="U+0530-058F,U+FB13-FB17"
GEORGIAN="U+10A0-10FF,U+1C90-1CBF,U+2D00-2D2F"
ARABIC="U+0600-06FF,U+0750-077F,U+08A0-08FF,U+200C-200F,U+FB50-FDFF,U+FE70-FEFC"
cd "$(dirname "$0")"
sub() { # source, output, ranges
  $PY "$NOTO/$1" --unicodes="$3" --layout-features='*' --flavor=woff2 --output-file="$2" --no-hinting --desubroutinize
}
for w in Regular Bold Italic; do sub NotoSerif-$w.ttf noto-serif-latin-${w,,}.woff2 "$LATIN"; done
for w in Regular Bold; do
  sub NotoSans-$w.ttf noto-sans-latin-${w,,}.woff2 "$LATIN"
  sub NotoSerifArmenian-$w.ttf noto-serif-armenian-${w,,}.woff2 "$ARMENIAN"
  sub NotoSansArmenian-$w.ttf noto-sans-armenian-${w,,}.woff2 "$ARMENIAN"
  sub NotoSerifGeorgian-$w.ttf noto-serif-georgian-${w,,}.woff2 "$GEORGIAN"
  sub NotoSansGeorgian-$w.ttf noto-sans-georgian-${w,,}.woff2 "$GEORGIAN"
  sub NotoNaskhArabic-$w.ttf noto-naskh-arabic-${w,,}.woff2 "$ARABIC"
  sub NotoSansArabic-$w.ttf noto-sans-arabic-${w,,}.woff2 "$ARABIC"
done
