"""The model reads the rulebook's grade beside the signals, and learns where the rulebook is wrong."""

import numpy as np
import pandas as pd

from models.classifier import TEXT_COLUMN, InquiryGradeModel
from models.training import RULE_GRADE_COLUMNS, model_input


def test_the_rule_grade_becomes_one_column_per_grade_and_the_text_comes_last():
    signals = pd.DataFrame({"spec_products_named": [2, 0, 1]})
    frame = model_input(signals, ["a", "b", "c"], pd.Series([2, 4, 1]))
    assert list(frame.columns) == ["spec_products_named", *RULE_GRADE_COLUMNS, TEXT_COLUMN]
    assert frame[list(RULE_GRADE_COLUMNS)].to_numpy().tolist() == [[0, 1, 0, 0], [0, 0, 0, 1], [1, 0, 0, 0]]
    assert frame["spec_products_named"].dtype == float


def test_the_model_learns_an_exception_to_the_rulebook_from_the_labels():
    # Managers agree with the rulebook, except that a detailed tender the rules call grade 4
    # (say, for an odd unit) is really grade 2.
    rng = np.random.default_rng(3)
    n = 1200
    rule_grades = rng.integers(1, 5, n)
    detailed = (rng.random(n) < 0.3).astype(float)
    labels = np.where((rule_grades == 4) & (detailed > 0), 2, rule_grades)
    frame = model_input(pd.DataFrame({"spec_requirement_areas": detailed * 6}), ["text"] * n, rule_grades)
    model = InquiryGradeModel(kind="boosting").fit(frame, labels, fraud=np.zeros(n, dtype=bool))

    probe = model_input(pd.DataFrame({"spec_requirement_areas": [6.0, 0.0, 6.0]}), ["text"] * 3,
                        np.array([4, 4, 3]))
    assert model.predict(probe).tolist() == [2, 4, 3]
