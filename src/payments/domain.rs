//! Fees as a bill: which fee lines of a procedure version apply (channel, when due,
//! alternatives), per-unit lines with their caps, and a claimed reduction. Whole đồng only.

use std::collections::BTreeMap;

/// A fee line of a procedure version (`procedure_fees`).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FeeLine {
    pub position: i32,
    pub label_vi: String,
    pub label_en: String,
    pub amount_vnd: Option<i64>,
    /// 'any' | 'online' | 'counter'
    pub channel: String,
    /// 'submission' | 'assessment'
    pub due: String,
    pub choice_group: Option<String>,
    pub quantity_field: Option<String>,
    pub cap_vnd: Option<i64>,
}

/// A reduction an applicant may claim (`fee_reductions`).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Reduction {
    pub code: String,
    pub label_vi: String,
    pub label_en: String,
    pub percent: i32,
    pub evidence_vi: String,
    pub evidence_en: String,
}

/// A line of a bill.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct BillItem {
    pub label: String,
    pub amount_vnd: i64,
    pub quantity: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Bill {
    pub items: Vec<BillItem>,
    pub total_vnd: i64,
}

/// The lines due with an online submission: for the online channel, due at submission, with
/// an amount; of each choice group the chosen line (else its first).
pub fn submission_lines<'a>(
    lines: &'a [FeeLine],
    online: bool,
    choices: &BTreeMap<String, i32>,
) -> Vec<&'a FeeLine> {
    let channel_fits = |l: &FeeLine| {
        l.channel == "any"
            || (online && l.channel == "online")
            || (!online && l.channel == "counter")
    };
    let eligible: Vec<&FeeLine> = lines
        .iter()
        .filter(|l| l.due == "submission" && l.amount_vnd.is_some() && channel_fits(l))
        .collect();
    let mut chosen = Vec::new();
    for line in &eligible {
        let Some(group) = &line.choice_group else {
            chosen.push(*line);
            continue;
        };
        let members: Vec<&&FeeLine> = eligible
            .iter()
            .filter(|m| m.choice_group.as_ref() == Some(group))
            .collect();
        let pick = choices
            .get(group)
            .and_then(|p| members.iter().find(|m| m.position == *p))
            .or(members.first());
        if pick.is_some_and(|p| p.position == line.position) {
            chosen.push(*line);
        }
    }
    chosen
}

/// The bill of `lines` for an applicant who answered `answers` (quantities of per-unit
/// lines) and claims `reduction` (a percentage off each line, rounded down to the đồng).
pub fn bill(
    lines: &[&FeeLine],
    answers: &BTreeMap<String, String>,
    reduction: Option<&Reduction>,
    vi: bool,
) -> Bill {
    let mut items = Vec::new();
    for line in lines {
        let Some(unit) = line.amount_vnd else {
            continue;
        };
        let quantity = line
            .quantity_field
            .as_ref()
            .and_then(|k| answers.get(k))
            .and_then(|v| v.trim().parse::<i64>().ok())
            .filter(|q| *q > 0)
            .unwrap_or(1);
        let mut amount = unit.saturating_mul(quantity);
        if let Some(cap) = line.cap_vnd {
            amount = amount.min(cap);
        }
        if let Some(r) = reduction {
            amount -= amount * i64::from(r.percent) / 100;
        }
        if amount > 0 {
            items.push(BillItem {
                label: if vi {
                    line.label_vi.clone()
                } else {
                    line.label_en.clone()
                },
                amount_vnd: amount,
                quantity,
            });
        }
    }
    let total_vnd = items.iter().map(|i| i.amount_vnd).sum();
    Bill { items, total_vnd }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(position: i32, amount: Option<i64>, channel: &str) -> FeeLine {
        FeeLine {
            position,
            label_vi: format!("Dòng {position}"),
            label_en: format!("Line {position}"),
            amount_vnd: amount,
            channel: channel.into(),
            due: "submission".into(),
            choice_group: None,
            quantity_field: None,
            cap_vnd: None,
        }
    }

    #[test]
    fn online_dossiers_pay_the_online_rate_and_counter_ones_the_counter_rate() {
        let lines = [
            line(1, Some(15_000), "counter"),
            line(2, Some(7_000), "online"),
        ];
        let online = submission_lines(&lines, true, &BTreeMap::new());
        assert_eq!(bill(&online, &BTreeMap::new(), None, true).total_vnd, 7_000);
        let counter = submission_lines(&lines, false, &BTreeMap::new());
        assert_eq!(
            bill(&counter, &BTreeMap::new(), None, true).total_vnd,
            15_000
        );
    }

    #[test]
    fn lines_without_an_amount_or_assessed_later_are_not_billed_at_submission() {
        let mut assessed = line(2, Some(50_000), "any");
        assessed.due = "assessment".into();
        let lines = [line(1, None, "any"), assessed, line(3, Some(0), "any")];
        let due = submission_lines(&lines, true, &BTreeMap::new());
        let b = bill(&due, &BTreeMap::new(), None, true);
        assert_eq!(b.total_vnd, 0);
        assert!(b.items.is_empty());
    }

    #[test]
    fn one_line_of_a_choice_group_the_chosen_one() {
        let mut standard = line(1, Some(200_000), "any");
        standard.choice_group = Some("doi_tuong".into());
        let mut reduced = line(2, Some(100_000), "any");
        reduced.choice_group = Some("doi_tuong".into());
        let lines = [standard, reduced];
        let default = submission_lines(&lines, true, &BTreeMap::new());
        assert_eq!(
            bill(&default, &BTreeMap::new(), None, true).total_vnd,
            200_000
        );
        let choice = BTreeMap::from([("doi_tuong".to_owned(), 2)]);
        let picked = submission_lines(&lines, true, &choice);
        assert_eq!(picked.len(), 1);
        assert_eq!(
            bill(&picked, &BTreeMap::new(), None, true).total_vnd,
            100_000
        );
    }

    #[test]
    fn per_unit_lines_count_the_quantity_up_to_the_cap_and_reductions_round_down() {
        let mut copies = line(1, Some(8_000), "any");
        copies.quantity_field = Some("so_ban".into());
        let mut pages = line(2, Some(1_000), "any");
        pages.quantity_field = Some("so_trang".into());
        pages.cap_vnd = Some(200_000);
        let lines = [copies, pages];
        let answers = BTreeMap::from([
            ("so_ban".to_owned(), "3".to_owned()),
            ("so_trang".to_owned(), "450".to_owned()),
        ]);
        let due = submission_lines(&lines, true, &BTreeMap::new());
        let b = bill(&due, &answers, None, true);
        assert_eq!(b.items[0].amount_vnd, 24_000);
        assert_eq!(b.items[0].quantity, 3);
        assert_eq!(b.items[1].amount_vnd, 200_000);
        assert_eq!(b.total_vnd, 224_000);
        let half = Reduction {
            code: "ho_ngheo".into(),
            label_vi: "Hộ nghèo".into(),
            label_en: "Poor household".into(),
            percent: 50,
            evidence_vi: String::new(),
            evidence_en: String::new(),
        };
        let odd = [line(1, Some(7_001), "any")];
        let odd_due = submission_lines(&odd, true, &BTreeMap::new());
        assert_eq!(
            bill(&odd_due, &BTreeMap::new(), Some(&half), true).total_vnd,
            3_501
        );
        let exempt = Reduction {
            percent: 100,
            ..half
        };
        assert_eq!(bill(&due, &answers, Some(&exempt), true).total_vnd, 0);
    }
}
