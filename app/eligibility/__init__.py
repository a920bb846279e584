"""The eligibility checker (kiểm tra điều kiện khen thưởng): pure functions of plain data.

`checker.check(request, snapshot, settings)` judges one requested title or award against
the rule set in force on the decision date. Nothing here touches the database or Qt;
`app/eligibility_service.py` builds the snapshot from the database and stores results.
"""
