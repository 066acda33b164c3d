"""Real data in: cadastral exchange files and the city's existing registers
(GeoPackage, Shapefile, CSV, XLSX), checked, then entered as drafts and
submitted for review in one batch by the importing editor; and parcels
written back to an exchange file. Importable without Qt."""
