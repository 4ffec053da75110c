"""Stories: near-duplicate reports and story groups across outlets, found at index time.

``features``  what each article contributes (shingles, a MinHash, weighted terms);
``grouping``  duplicates (MinHash LSH, checked on the shingles) and story groups
              (articles clustered on terms and entities within a date window).
"""
