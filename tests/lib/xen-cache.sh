# SPDX-License-Identifier: GPL-2.0-or-later
# The cache folder for what is taken from Debian's Xen packages (the
# xen-utils-4.17 files, the xen source and hvmloader builds, the dom0
# image).  Source it, then:
#
#	xen_cache_folders	the folders to look in, in order
#	xen_cache_folder	the first writable one (created), or fail
#
# DMACPI_XEN_CACHE, when set, is the only folder (an empty one exercises
# every fetch); else /var/cache/dmacpid-xen, then ~/.cache/dmacpid-xen.

xen_cache_folders() {
	if [ -n "${DMACPI_XEN_CACHE:-}" ]; then
		echo "$DMACPI_XEN_CACHE"
	else
		echo "/var/cache/dmacpid-xen ${XDG_CACHE_HOME:-${HOME:-/nonexistent}/.cache}/dmacpid-xen"
	fi
}

xen_cache_folder() {
	for _xc in $(xen_cache_folders); do
		if mkdir -p "$_xc" 2>/dev/null && [ -w "$_xc" ]; then
			echo "$_xc"
			return 0
		fi
	done
	echo "no writable cache folder ($(xen_cache_folders))" >&2
	return 1
}
