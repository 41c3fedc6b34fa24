# Merges what a run recorded into the kept list of a family's classes (docs/decisions/0017, ninth round), for ./certops
# and the packaged app's launcher (packaging/src/build/train-image.sh puts this program into it).
#   awk -v out=MERGED -v skipshared=[1] -f learned-merge.awk KEPT RECORDED     prints how many class names were new
# KEPT: the kept list (may be empty). RECORDED: a -XX:DumpLoadedClassList file or a -Xlog:class+load log without
# decorations. Names are kept as the class list writes them (the log names them with dots); the JVM's hidden classes
# are left out; with skipshared, so are the log's classes that came from the archive in use (a linked Java 25 cache
# loads all it holds at start, used or not: only what it lacked counts).
FILENAME == ARGV[1] { print > out; if ($1 ~ /^@/) line[$0] = 1; else seen[$1] = 1; next }
$1 ~ /^@/ { if (!line[$0]++) print > out; next }
$1 ~ /^#/ || $1 ~ /0x|\$\$Lambda|\$Proxy|^jdk[.\/]proxy/ { next }
skipshared != "" && /source: shared objects file/ { next }
{ name = $1; gsub(/\./, "/", name); if (!seen[name]++) { print name > out; n++ } }
END { print n + 0 }
