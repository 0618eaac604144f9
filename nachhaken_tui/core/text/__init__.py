"""Words for people: languages and catalogs, formats, terminal safety, the data in words."""
