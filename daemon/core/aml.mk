# aml modules, their unit tests and fuzz targets
