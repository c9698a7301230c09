# tests/lang.bash - a lesson README and its Chinese version, README.zh-CN.md,
# show the same commands, code and outputs: only the prose is translated.
#
#   same_blocks EN ZH   fail, showing the difference, unless every fenced
#                       block (```...```) of ZH is the one of EN, in order,
#                       and each links to the other

# The fenced blocks of a Markdown file, each opening and closing line kept.
fenced_blocks() {
	awk '/^```/ { print; inb = !inb; next } inb' "$1"
}

same_blocks() {
	diff -u --label "$1" --label "$2" <(fenced_blocks "$1") <(fenced_blocks "$2") &&
		grep -q '(README.zh-CN.md)' "$1" &&
		grep -q '(README.md)' "$2"
}
