"""Arabic full-text search, the domain part: parsing a query, its terms, KB aliases and highlighting.

Query words are normalized as the index is (hamza, alef, yaa, taa marbuta, diacritics), searched
with and without their proclitics, and a person's name is expanded to every KB spelling. The
search itself runs in the store (`db.queries.search.search_articles`, over `db.search_backend`).
"""
