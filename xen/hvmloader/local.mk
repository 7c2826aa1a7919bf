# The consumer: a patch series to Xen 4.17's hvmloader, its build script
# (which needs the network: xen/hvmloader/build) and README.
XEN_HVMLOADER_PATCHES = \
	xen/hvmloader/0001-hvmloader-add-a-SHA-256-implementation.patch \
	xen/hvmloader/0002-libacpi-append-tables-the-firmware-supplies.patch \
	xen/hvmloader/0003-hvmloader-add-get_system_time-and-msleep.patch \
	xen/hvmloader/0004-hvmloader-check-device-model-ACPI-blobs-and-wrap-dev.patch \
	xen/hvmloader/0005-hvmloader-load-device-model-ACPI-that-dom0-approved.patch \
	xen/hvmloader/0006-hvmloader-load-only-a-verdict-that-dom0-wrote.patch
EXTRA_DIST += xen/hvmloader/README.md xen/hvmloader/series \
	xen/hvmloader/build $(XEN_HVMLOADER_PATCHES)

# Its SHA-256, blob walk, SSDT wrapper and consumer, taken out of the
# patches and compiled on the host (no network, no Xen), against sha256sum,
# ACPICA and a scripted xenstore.
XEN_HVMLOADER_TESTS = tests/xen-hvmloader/sha256.sh tests/xen-hvmloader/area.sh \
	tests/xen-hvmloader/consume.sh
TESTS += $(XEN_HVMLOADER_TESTS)
EXTRA_DIST += $(XEN_HVMLOADER_TESTS) tests/xen-hvmloader/build-host.sh \
	tests/xen-hvmloader/extract.sh tests/xen-hvmloader/host.c \
	tests/xen-hvmloader/consume.c tests/xen-hvmloader/shim/util.h \
	tests/xen-hvmloader/shim/acpi2_0.h tests/xen-hvmloader/shim/libacpi.h
