#!/bin/sh
# Renders the application icon's PNG sizes (hicolor layout, as packages install them) and the
# Windows .ico from assets/icons/localpost.svg. Needs ImageMagick (apt-get install imagemagick).
# Run from anywhere after changing the SVG, and commit the results.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
svg="$here/icons/localpost.svg"
command -v convert >/dev/null || { echo "render-icons: ImageMagick's convert is needed (apt-get install imagemagick)" >&2; exit 1; }
for size in 16 24 32 48 64 128 256 512; do
    dir="$here/icons/hicolor/${size}x${size}/apps"
    mkdir -p "$dir"
    # Rendered large then reduced: ImageMagick's own SVG renderer anti-aliases better that way.
    convert -background none -density 384 "$svg" -resize "${size}x${size}" -strip "PNG32:$dir/localpost.png"
done
convert "$here"/icons/hicolor/16x16/apps/localpost.png "$here"/icons/hicolor/24x24/apps/localpost.png \
    "$here"/icons/hicolor/32x32/apps/localpost.png "$here"/icons/hicolor/48x48/apps/localpost.png \
    "$here"/icons/hicolor/64x64/apps/localpost.png "$here"/icons/hicolor/256x256/apps/localpost.png \
    "$here/icons/localpost.ico"
echo "render-icons: wrote $here/icons/hicolor/*/apps/localpost.png and $here/icons/localpost.ico"
