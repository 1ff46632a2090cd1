"""cchc: the one-stop shop and administrative-reform reporting for Vietnamese local governments."""
