//! Which gateway takes a dossier's fee: the province's own (VNPay) or the national payment
//! platform. Dated rules (`payment_routes`) name a procedure, a receiving agency or both; the
//! most specific rule in force on the day wins (procedure and agency, then procedure, then
//! agency), else the setting `payment_default_gateway`. A rule for the platform holds only
//! while a platform is configured (`dvcqg_pay_url`); otherwise the fee goes to the province's
//! gateway, so that a citizen can always pay.

use chrono::NaiveDate;
use sqlx::PgConnection;
use uuid::Uuid;

/// A gateway the portal can send a citizen to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gateway {
    /// The province's own gateway (VNPay 2.1.0, or its local sandbox).
    Vnpay,
    /// The national public-service payment platform.
    Dvcqg,
}

impl Gateway {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "vnpay" => Some(Self::Vnpay),
            "dvcqg" => Some(Self::Dvcqg),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Vnpay => "vnpay",
            Self::Dvcqg => "dvcqg",
        }
    }

    /// The national statistics' payment mode (DuocThanhToanTrucTuyen): 1 through the national
    /// platform, else the province's own (`payment_online_mode`, normally 2).
    pub fn online_mode(self, province_mode: i16) -> i16 {
        match self {
            Self::Dvcqg => 1,
            Self::Vnpay => province_mode,
        }
    }

    /// The message key of its name.
    pub fn label_key(self) -> &'static str {
        match self {
            Self::Vnpay => "payment.gateway_vnpay",
            Self::Dvcqg => "payment.gateway_dvcqg",
        }
    }
}

/// The precedence of rules: the most specific first.
pub fn pick(rules: &[(Option<String>, Option<Uuid>, String)]) -> Option<Gateway> {
    let rank = |r: &(Option<String>, Option<Uuid>, String)| match (&r.0, &r.1) {
        (Some(_), Some(_)) => 0,
        (Some(_), None) => 1,
        (None, Some(_)) => 2,
        (None, None) => 3,
    };
    rules
        .iter()
        .min_by_key(|r| rank(r))
        .and_then(|r| Gateway::parse(&r.2))
}

/// The gateway for a dossier of `procedure_code` received by `agency`, on `day`.
pub async fn gateway_for(
    conn: &mut PgConnection,
    procedure_code: &str,
    agency: Option<Uuid>,
    day: NaiveDate,
    default: Gateway,
    platform_configured: bool,
) -> Result<Gateway, sqlx::Error> {
    // each (procedure, agency) pair's latest rule in force, among those that apply
    let rules: Vec<(Option<String>, Option<Uuid>, String)> = sqlx::query_as(
        "select distinct on (procedure_code, agency_id) procedure_code, agency_id, gateway \
         from payment_routes \
         where (procedure_code = $1 or procedure_code is null) \
           and (agency_id = $2 or agency_id is null) and valid_from <= $3 \
         order by procedure_code, agency_id, valid_from desc",
    )
    .bind(procedure_code)
    .bind(agency)
    .bind(day)
    .fetch_all(conn)
    .await?;
    let chosen = pick(&rules).unwrap_or(default);
    Ok(match chosen {
        Gateway::Dvcqg if !platform_configured => Gateway::Vnpay,
        g => g,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_most_specific_rule_wins() {
        let agency = Uuid::from_u128(7);
        let rule =
            |p: Option<&str>, a: Option<Uuid>, g: &str| (p.map(str::to_owned), a, g.to_owned());
        assert_eq!(pick(&[]), None);
        assert_eq!(
            pick(&[rule(None, Some(agency), "dvcqg")]),
            Some(Gateway::Dvcqg)
        );
        assert_eq!(
            pick(&[
                rule(None, Some(agency), "dvcqg"),
                rule(Some("1.004194"), None, "vnpay"),
            ]),
            Some(Gateway::Vnpay),
            "the procedure's rule before the agency's"
        );
        assert_eq!(
            pick(&[
                rule(Some("1.004194"), None, "vnpay"),
                rule(Some("1.004194"), Some(agency), "dvcqg"),
                rule(None, Some(agency), "vnpay"),
            ]),
            Some(Gateway::Dvcqg),
            "the procedure at this agency before either"
        );
        assert_eq!(Gateway::Dvcqg.online_mode(2), 1);
        assert_eq!(Gateway::Vnpay.online_mode(2), 2);
    }
}
