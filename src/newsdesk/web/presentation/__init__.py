"""What pages and the API show, built from records, none of it a route: a story page's
view (``view``), its JSON-LD and coverage (``storymeta``), lead images and the site's own
card and logo (``images``, ``card``), comment markup (``markup``) and the JSON API's
response models (``api_models``)."""
