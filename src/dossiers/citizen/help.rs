//! Short plain-language help for each step of the online journey, linked from the step.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query};
use tower_sessions::Session;

use crate::kernel::Lang;
use crate::web::lang::RequestLang;
use crate::web::paths::{self, NextQuery};
use crate::web::{AppError, AppResult, Layout};

/// The steps that have help: the journey's pages, the payment and tracking.
const STEPS: &[&str] = &[
    "applicant",
    "details",
    "documents",
    "delivery",
    "check",
    "payment",
];

#[derive(Template, WebTemplate)]
#[template(path = "dossiers/help.html")]
pub struct HelpPage {
    pub layout: Layout,
    pub paragraphs: Vec<String>,
    pub back_url: String,
}

/// `GET /huong-dan/{step}?next=`: the help of a step, with the way back to it.
pub async fn help(
    RequestLang(lang): RequestLang,
    session: Session,
    Path(step): Path<String>,
    Query(back): Query<NextQuery>,
) -> AppResult<HelpPage> {
    let step = STEPS
        .iter()
        .find(|s| **s == step)
        .ok_or(AppError::NotFound)?;
    let here = paths::help(step, back.next.as_deref().unwrap_or_default());
    Ok(HelpPage {
        layout: Layout::for_session(lang, lang.t(&format!("help.{step}.title")), here, &session)
            .await?,
        paragraphs: paragraphs(lang, step),
        back_url: paths::safe_next(back.next.as_deref(), paths::MY_DOSSIERS),
    })
}

fn paragraphs(lang: Lang, step: &str) -> Vec<String> {
    lang.t(&format!("help.{step}.body"))
        .split("\n\n")
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_step_has_help_in_both_languages() {
        for step in STEPS {
            for lang in [Lang::Vi, Lang::En] {
                for part in ["title", "body"] {
                    let key = format!("help.{step}.{part}");
                    assert_ne!(lang.t(&key), key, "{lang:?} {key}");
                }
            }
        }
    }
}
