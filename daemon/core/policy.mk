# policy modules, their unit tests and fuzz targets
