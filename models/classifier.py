"""The learned grader: calibrated grade probabilities and a fraud probability.

Input is the frame the scoring job already has: the numeric signals of
`features/` plus one `text` column (subject and new body). Signals are
relative to the company's catalogue, so the same fitted model grades another
company's inquiries; the text part is TF-IDF word n-grams with a small weight,
so it can add phrasing cues ("kindly", "login") without memorising one
catalogue's product words.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.calibration import CalibratedClassifierCV
from sklearn.frozen import FrozenEstimator
from sklearn.model_selection import train_test_split
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import FunctionTransformer, StandardScaler
from sklearn.utils.validation import check_is_fitted

GRADES = np.array([1, 2, 3, 4])
TEXT_COLUMN = "text"
KINDS = ("logistic", "boosting")


def _signal_columns(frame: pd.DataFrame) -> list[str]:
    return [column for column in frame.columns if column != TEXT_COLUMN]


def build_estimator(kind: str, signal_columns: list[str], *, text_weight: float, C: float, random_state: int):
    """An uncalibrated scikit-learn pipeline for one head (grade or fraud)."""
    if kind == "logistic":
        parts = [("signals", StandardScaler(), signal_columns)]
        if text_weight > 0:
            # A bounded vocabulary keeps the linear model small and fast to fit.
            text = make_pipeline(
                FunctionTransformer(_text_column_series),
                TfidfVectorizer(ngram_range=(1, 2), min_df=3, max_features=20_000, sublinear_tf=True),
                FunctionTransformer(_scale_by, kw_args={"weight": text_weight}, accept_sparse=True),
            )
            parts.append(("text", text, [TEXT_COLUMN]))
        features = ColumnTransformer(parts, sparse_threshold=1.0)
        return Pipeline([("features", features), ("classifier", LogisticRegression(C=C, max_iter=2000))])
    if kind == "boosting":
        features = ColumnTransformer([("signals", "passthrough", signal_columns)])
        booster = HistGradientBoostingClassifier(
            max_iter=200, learning_rate=0.08, l2_regularization=1.0, random_state=random_state
        )
        return Pipeline([("features", features), ("classifier", booster)])
    raise ValueError(f"unknown classifier kind '{kind}'; choose one of {', '.join(KINDS)}")


def _text_column_series(frame: pd.DataFrame) -> np.ndarray:
    # ColumnTransformer hands over a one-column frame; the vectoriser wants strings.
    return frame.iloc[:, 0].fillna("").astype(str).to_numpy()


def _scale_by(matrix, weight: float):
    return matrix * weight


class InquiryGradeModel(BaseEstimator, ClassifierMixin):
    """Two calibrated heads over signals and text: the grade (1-4) and fraud.

    `fit(X, y, fraud=...)` takes the signals frame with a `text` column, the
    manager's grades, and the manager's fraud flags.
    """

    def __init__(self, kind: str = "logistic", text_weight: float = 0.3, C: float = 0.5,
                 calibration: str = "sigmoid", calibration_share: float = 0.2, random_state: int = 0):
        self.kind = kind
        self.text_weight = text_weight
        self.C = C
        self.calibration = calibration
        self.calibration_share = calibration_share
        self.random_state = random_state

    def fit(self, X: pd.DataFrame, y, fraud=None):
        if TEXT_COLUMN not in X:
            raise ValueError(f"the training frame needs a '{TEXT_COLUMN}' column beside the signals")
        grades = np.asarray(y, dtype=int)
        unknown = sorted(set(grades) - set(GRADES))
        if unknown:
            raise ValueError(f"grades must be 1..4, found {unknown}")
        fraud_flags = np.zeros(len(grades), dtype=int) if fraud is None else np.asarray(fraud, dtype=int)
        self.signal_columns_ = _signal_columns(X)
        self.signal_baseline_ = X[self.signal_columns_].astype(float).median()
        base = build_estimator(
            self.kind, self.signal_columns_, text_weight=self.text_weight, C=self.C, random_state=self.random_state
        )
        self.grade_head_ = self._fit_calibrated(base, X, grades)
        # A fraud head needs both classes; a history with no fraud at all gets none.
        has_both = fraud_flags.min() != fraud_flags.max()
        self.fraud_head_ = self._fit_calibrated(clone(base), X, fraud_flags) if has_both else None
        self.classes_ = self.grade_head_.classes_
        self.n_features_in_ = X.shape[1]
        self.explain_columns_ = self._choose_explain_columns(X) if self.kind == "boosting" else self.signal_columns_
        return self

    def _fit_calibrated(self, estimator, X: pd.DataFrame, target: np.ndarray):
        """Fit on most rows, calibrate on the rest: one fit per head keeps retraining fast."""
        fit_rows, calibration_rows = train_test_split(
            np.arange(len(target)), test_size=self.calibration_share, stratify=target, random_state=self.random_state
        )
        estimator.fit(X.iloc[fit_rows], target[fit_rows])
        calibrated = CalibratedClassifierCV(FrozenEstimator(estimator), method=self.calibration)
        with warnings.catch_warnings():
            # The frozen model is not refitted; the splitter's warning about rare grades does not apply.
            warnings.filterwarnings("ignore", message="The least populated class")
            return calibrated.fit(X.iloc[calibration_rows], target[calibration_rows])

    def _aligned(self, X: pd.DataFrame) -> pd.DataFrame:
        missing = [column for column in self.signal_columns_ if column not in X]
        if missing:
            raise ValueError(f"the frame lacks signal column(s) the model was trained on: {', '.join(missing[:5])}")
        return X[self.signal_columns_ + [TEXT_COLUMN]]

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        check_is_fitted(self, "grade_head_")
        return self.grade_head_.predict_proba(self._aligned(X))

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]

    def predict_fraud_proba(self, X: pd.DataFrame) -> np.ndarray:
        check_is_fitted(self, "grade_head_")
        if self.fraud_head_ is None:
            return np.zeros(len(X))
        return self.fraud_head_.predict_proba(self._aligned(X))[:, 1]

    def signal_contributions(self, X: pd.DataFrame) -> pd.DataFrame:
        """How much each signal pushed each row towards its predicted grade.

        Linear model: coefficient x standardised value for the predicted
        grade. Boosting: the drop in the predicted grade's probability when
        the signal is reset to its typical (median) training value, computed
        for the `explain_top` signals that move the model most (chosen at fit
        time) so explanations stay cheap at batch scale.
        """
        frame = self._aligned(X)
        if frame.empty:
            return pd.DataFrame(columns=self.signal_columns_, index=X.index, dtype=float)
        predicted = self.predict(frame)
        base = self.grade_head_.calibrated_classifiers_[0].estimator.estimator  # unwrap FrozenEstimator
        if self.kind == "logistic":
            scaler = base.named_steps["features"].named_transformers_["signals"]
            logistic = base.named_steps["classifier"]
            standardised = (frame[self.signal_columns_].to_numpy(dtype=float) - scaler.mean_) / scaler.scale_
            class_rows = np.searchsorted(logistic.classes_, predicted)
            coefficients = logistic.coef_[:, : len(self.signal_columns_)][class_rows]
            return pd.DataFrame(standardised * coefficients, columns=self.signal_columns_, index=X.index)
        return self._reset_contributions(frame, predicted, self.explain_columns_)

    def _reset_contributions(self, frame: pd.DataFrame, predicted: np.ndarray, columns: list[str]) -> pd.DataFrame:
        rows = np.arange(len(frame))
        class_rows = np.searchsorted(self.classes_, predicted)
        own = self.predict_proba(frame)[rows, class_rows]
        contributions = pd.DataFrame(0.0, columns=self.signal_columns_, index=frame.index)
        for column in columns:
            typical = self.signal_baseline_[column]
            differs = frame[column].to_numpy(dtype=float) != typical
            if not differs.any():
                continue
            reset = frame.loc[differs].copy()
            reset[column] = typical
            changed = self.predict_proba(reset)[np.arange(int(differs.sum())), class_rows[differs]]
            contributions.loc[differs, column] = own[differs] - changed
        return contributions

    def _choose_explain_columns(self, X: pd.DataFrame, top: int = 20, sample_rows: int = 1_000) -> list[str]:
        """The signals whose reset moves the predicted grade's probability most, on a training sample."""
        sample = X.sample(n=min(sample_rows, len(X)), random_state=self.random_state)
        influence = self._reset_contributions(sample, self.predict(sample), self.signal_columns_).abs().mean()
        return influence.sort_values(ascending=False).index[:top].tolist()
