"""A scripted session for the feedback report: questions (some declined, some reworded
twice) and votes through the real app, recorded in the feedback database given.

    .venv/bin/python scripts/feedback_session.py /tmp/feedback.sqlite
    .venv/bin/kbbot report --feedback-db /tmp/feedback.sqlite
"""
import sys
from dataclasses import replace

from web import create_app
from web.settings import Settings

QUESTIONS = [
    "does 97535 need modifier 59 with gait training?",
    "how do I code a DRG for an inpatient stay?",
    "how to code DRG for inpatient stay",
    "Patient John Smith DOB 03/14/1952 MRN 00482913: which DRG for his inpatient stay?",
    "what is the HCC risk adjustment model",
    "how does HCC risk adjustment work?",
    "what will the weather be in Paris tomorrow?",
    "how many units for 38 minutes of 97110?",
    "what is modifier 59",
    "can I bill 97140 and 97530 together?",
]
VOTES = {  # question index → (vote, reason, comment)
    0: ("down", "wrong_modifier", "our payer wants XU, not 59"),
    7: ("up", None, None),
    8: ("down", "outdated", None),
    9: ("down", "wrong_modifier", "pt Mary O'Neil was denied anyway"),
}


def main(database: str) -> None:
    settings = replace(Settings.from_env(), feedback_db=database, rate_limit=0)
    client = create_app(settings).test_client()
    for i, question in enumerate(QUESTIONS):
        answer = client.post("/api/chat", json={"question": question}).get_json()
        state = "declined" if answer["abstained"] else f"answered, confidence {answer['confidence']}"
        print(f"{i:>2} {state:<28} {question}")
        if i in VOTES:
            vote, reason, comment = VOTES[i]
            stored = client.post("/api/feedback", json={
                "question": question, "answer": answer["answer"], "index_version": answer["index_version"],
                "citations": [c["url"] for c in answer["citations"]], "vote": vote, "reason": reason,
                "comment": comment})
            print(f"   {vote} ({reason or 'no reason'}) → {stored.status_code} {stored.get_json()}")


if __name__ == "__main__":
    main(sys.argv[1])
