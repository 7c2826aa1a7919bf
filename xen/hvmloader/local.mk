# The consumer: a patch series to Xen 4.17's hvmloader, its build script
# (which needs the network: xen/hvmloader/build) and README.
XEN_HVMLOADER_PATCHES = \
	xen/hvmloader/0001-hvmloader-add-a-SHA-256-implementation.patch \
	xen/hvmloader/0002-libacpi-append-tables-the-firmware-supplies.patch \
	xen/hvmloader/0003-hvmloader-add-get_system_time-and-msleep.patch \
	xen/hvmloader/0004-hvmloader-check-device-model-ACPI-blobs-and-wrap-dev.patch \
	xen/hvmloader/0005-hvmloader-load-device-model-ACPI-that-dom0-approved.patch
EXTRA_DIST += xen/hvmloader/README.md xen/hvmloader/series \
	xen/hvmloader/build $(XEN_HVMLOADER_PATCHES)
