"""Template files offered on the upload page, one per format, with what each
column means."""

TEMPLATES = {
    "police_uk": {
        "title": "police.uk street-level CSV",
        "content": (
            "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,"
            "LSOA name,Crime type,Last outcome category,Context\r\n"
            "5c1f0b1e9a0e2e47f2a0c0b8e1d7f3a2b9c4d5e6f708192a3b4c5d6e7f8091a2,2023-01,"
            "Kent Police,Kent Police,0.522100,51.272400,On or near High Street,E01024345,"
            "Maidstone 018A,Violence and sexual offences,Unable to prosecute suspect,\r\n"
            ",2023-01,Kent Police,Kent Police,0.523000,51.271000,On or near ,E01024345,"
            "Maidstone 018A,Anti-social behaviour,,\r\n"
        ),
        "notes": [
            "Exactly the file police.uk (data.police.uk) publishes; upload it unchanged.",
            "Month is YYYY-MM. A re-upload of a month replaces that month's records.",
            "Rows for LSOAs outside the partnership are counted and reported, not stored.",
            "Crime types are matched through the category mappings (Reference data).",
        ],
    },
    "aggregate": {
        "title": "Aggregated extract (CSV or XLSX)",
        "content": (
            "month,area_code,area_name,category,count\r\n"
            "2023-01,E05000000,High Street,Violence against the person (incl. sexual offences),"
            "42\r\n"
        ),
        "notes": [
            "One row per month × area × category; count is a whole number ≥ 0.",
            "area_code is a code of the partnership's areas (LSOA, ward, …); give counts at one"
            " level, larger areas are summed from them.",
            "category is a mapped name (source “aggregate”) or the partnership's category name.",
        ],
    },
    "indicators": {
        "title": "Indicator values (CSV or XLSX)",
        "content": (
            "indicator,period,value,unit,note\r\n"
            "MARAC cases,2022,237,cases,65 repeat cases\r\n"
            "Youth offences,2021-22,146,offences,\r\n"
            "Needle finds,2022-01,80,finds,\r\n"
        ),
        "notes": [
            "period: YYYY-MM (month), YYYY (year), YYYY-YY (financial year), YYYY-Qn "
            "(quarter).",
            "An empty value is a gap (no data), never a zero.",
            "Or two columns month,<value name> (e.g. month,needle_finds) for one series.",
        ],
    },
}
