//! Sign-in with the national account against the sandbox's identity provider, over real HTTP
//! on loopback: the portal's redirect, the tester's choice of identity on the provider's page,
//! the code exchanged with PKCE, the ID token verified against the provider's JWKS, userinfo
//! read; linking, new accounts, refusals.

use serde_json::json;

use crate::helpers::html::Page;
use crate::helpers::session::{location, post_form, sign_in_citizen};
use crate::national::Exchange;

/// The demo citizen's number, which the sandbox's identity "an" carries.
const AN: &str = "051090001234";

impl Exchange {
    /// The portal sends the browser to the provider; the tester picks `identity` there; the
    /// provider sends it back. Returns the portal's answer to the callback.
    async fn national_sign_in(&self, identity: &str) -> axum_test::TestResponse {
        let start = self.app.server.get("/account/login/dvcqg").await;
        assert_eq!(start.status_code(), 303, "{}", start.text());
        let to_provider = location(&start);
        assert!(
            to_provider.starts_with(&format!("{}/oauth2/authorize?", self.national)),
            "{to_provider}"
        );
        let url = reqwest::Url::parse(&to_provider).unwrap();
        let mut form: Vec<(String, String)> = url.query_pairs().into_owned().collect();
        for (k, v) in &form {
            if k == "code_challenge_method" {
                assert_eq!(v, "S256", "PKCE");
            }
        }
        assert!(form.iter().any(|(k, _)| k == "nonce"));
        form.push(("identity".to_owned(), identity.to_owned()));
        let no_redirects = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        // the provider's own page lists the test identities
        let page = no_redirects.get(url.as_str()).send().await.unwrap();
        assert_eq!(page.status(), 200);
        assert!(page.text().await.unwrap().contains("Nguyễn Văn An"));
        let chosen = no_redirects
            .post(format!("{}/oauth2/authorize", self.national))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(chosen.status(), 303);
        let back = chosen.headers()["location"].to_str().unwrap().to_owned();
        let path = back
            .strip_prefix(self.app.settings.public_origin.trim_end_matches('/'))
            .expect("back to this portal");
        self.app.server.get(path).await
    }

    async fn sso_mode(&self, mode: &str, kid: &str) {
        let r = self
            .http
            .post(format!("{}/sim/sso", self.national))
            .json(&json!({ "mode": mode, "kid": kid }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
    }

    async fn national_subject(&self, personal_id: &str) -> Option<String> {
        sqlx::query_scalar("select national_sub from citizens where personal_id = $1")
            .bind(personal_id)
            .fetch_optional(&self.app.db.pool)
            .await
            .unwrap()
            .flatten()
    }
}

#[tokio::test]
async fn the_demo_citizen_links_the_national_account_once_then_signs_in_with_it() {
    let x = Exchange::start().await;
    // the portal's sign-in page offers it
    let login = Page::parse(&x.app.server.get("/account/login").await.text());
    assert!(
        login
            .text("#national-sign-in")
            .contains("Đăng nhập bằng tài khoản Cổng Dịch vụ công quốc gia")
    );
    let back = x.national_sign_in("an").await;
    assert_eq!(location(&back), "/account/login/dvcqg/link");
    let page = Page::parse(&x.app.server.get("/account/login/dvcqg/link").await.text());
    assert!(page.text("main").contains(AN), "{}", page.text("main"));
    assert_eq!(
        x.national_subject(AN).await,
        None,
        "not linked before confirming"
    );
    // a wrong password links nothing
    let wrong = post_form(
        &x.app,
        "/account/login/dvcqg/link",
        "/account/login/dvcqg/link",
        &[("password", "not-the-password")],
    )
    .await;
    assert_eq!(wrong.status_code(), 422);
    assert!(
        Page::parse(&wrong.text())
            .text(".error-summary")
            .contains("Mật khẩu không đúng")
    );
    assert_eq!(x.national_subject(AN).await, None);
    let linked = post_form(
        &x.app,
        "/account/login/dvcqg/link",
        "/account/login/dvcqg/link",
        &[("password", motcua::demo::DEMO_PASSWORD)],
    )
    .await;
    assert_eq!(location(&linked), "/account");
    assert_eq!(
        x.national_subject(AN).await.as_deref(),
        Some("dvcqg-tech000000001")
    );
    let (loa, verified): (Option<String>, bool) = sqlx::query_as(
        "select national_loa, identity_verified_at is not null from citizens where personal_id = $1",
    )
    .bind(AN)
    .fetch_one(&x.app.db.pool)
    .await
    .unwrap();
    assert_eq!((loa.as_deref(), verified), (Some("LoA2"), true));
    let account = x.app.server.get("/account").await;
    assert_eq!(account.status_code(), 200);

    // signing out here ends the provider's session too, with the ID token as a hint
    let out = post_form(&x.app, "/account", "/account/logout", &[]).await;
    assert_eq!(out.status_code(), 200);
    let end = Page::parse(&out.text()).attr("#national-sign-out", "href");
    assert!(
        end.starts_with(&format!("{}/oidc/logout?id_token_hint=", x.national)),
        "{end}"
    );
    // next time: straight in, no confirmation
    let again = x.national_sign_in("an").await;
    assert_eq!(location(&again), "/account");
    let audited: i64 = sqlx::query_scalar(
        "select count(*) from audit_log where action = 'citizen.login_national' \
           and details->>'loa' = 'LoA2'",
    )
    .fetch_one(&x.app.db.pool)
    .await
    .unwrap();
    assert_eq!(audited, 2);

    // a dossier filed in this session carries the national account: the nation reads it as
    // "verified with VNeID", with the account's technical ID
    let dossier = crate::submission::fill_birth_registration(&x.app).await;
    let submitted = crate::submission::submit(&x.app, &dossier).await;
    assert_eq!(submitted.status_code(), 303, "{}", submitted.text());
    let id = crate::helpers::dossier_id(&dossier);
    let (loa, tech, code): (Option<String>, Option<String>, String) =
        sqlx::query_as("select national_loa, national_tech_id, code from dossiers where id = $1")
            .bind(id)
            .fetch_one(&x.app.db.pool)
            .await
            .unwrap();
    assert_eq!(loa.as_deref(), Some("LoA2"));
    assert_eq!(tech.as_deref(), Some("TECH000000001"));
    x.sync().await;
    let national = x.national(&code).await.expect("synced");
    assert_eq!(national["record"]["TaiKhoanDuocXacThucVoiVNeID"], "1");
    assert_eq!(national["record"]["MaDoiTuong"], "TECH000000001");
}

#[tokio::test]
async fn a_new_person_gets_an_account_and_sees_what_they_filed_nationally() {
    let x = Exchange::start().await;
    let filed = x
        .http
        .post(format!("{}/sim/citizen/submit", x.national))
        .json(&json!({
            "MaTTHC": "1.001193", "MaDonVi": "000.00.71.H48", "ChuHoSo": "Trần Thị Hoa",
            "SoGiayToChuHoSo": "001195012345",
            "TaiLieuNop": [{"TenTepDinhKem": "to-khai.pdf", "Base64": "JVBERi0xLjQKJSVFT0YK"}],
        }))
        .send()
        .await
        .unwrap()
        .json::<serde_json::Value>()
        .await
        .unwrap();
    let code = filed["MaHoSo"].as_str().unwrap().to_owned();
    let back = x.national_sign_in("hoa").await;
    assert_eq!(location(&back), "/account");
    let (name, phone, email): (String, String, Option<String>) = sqlx::query_as(
        "select full_name, phone, email from citizens where personal_id = '001195012345'",
    )
    .fetch_one(&x.app.db.pool)
    .await
    .unwrap();
    assert_eq!(name, "Trần Thị Hoa");
    assert_eq!(phone, "+84987000111");
    assert_eq!(email.as_deref(), Some("hoa.tran@example.vn"));
    let mine = Page::parse(&x.app.server.get("/account/dossiers").await.text());
    assert!(mine.text("main").contains(&code), "{}", mine.text("main"));
    // the key the provider signs with changes: its JWKS holds both, sign-in still works
    x.sso_mode("normal", "sandbox-2").await;
    let signed = x.national_sign_in("hoa").await;
    assert_eq!(location(&signed), "/account");
}

#[tokio::test]
async fn organisations_and_untrustworthy_tokens_are_refused_and_nothing_is_linked() {
    let x = Exchange::start().await;
    let refused = x.national_sign_in("congty").await;
    assert_eq!(refused.status_code(), 403);
    assert!(
        Page::parse(&refused.text())
            .text("#sso-reason")
            .contains("Tài khoản tổ chức")
    );

    for mode in ["wrong_audience", "expired", "wrong_nonce", "bad_signature"] {
        x.sso_mode(mode, "sandbox-1").await;
        let refused = x.national_sign_in("hoa").await;
        assert_eq!(refused.status_code(), 401, "{mode}");
        assert!(
            Page::parse(&refused.text())
                .text("#sso-reason")
                .contains("Không xác minh được"),
            "{mode}"
        );
        assert_eq!(x.national_subject("001195012345").await, None, "{mode}");
    }
    x.sso_mode("normal", "sandbox-1").await;

    // a callback that is not this session's: refused before anything is asked
    let forged = x
        .app
        .server
        .get("/account/login/dvcqg/callback?code=abc&state=forged")
        .await;
    assert_eq!(forged.status_code(), 400);
    // a code is good once: the provider refuses it the second time
    let start = x.app.server.get("/account/login/dvcqg").await;
    let url = reqwest::Url::parse(&location(&start)).unwrap();
    let mut form: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    form.push(("identity".to_owned(), "hoa".to_owned()));
    let no_redirects = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let chosen = no_redirects
        .post(format!("{}/oauth2/authorize", x.national))
        .form(&form)
        .send()
        .await
        .unwrap();
    let back = chosen.headers()["location"].to_str().unwrap().to_owned();
    let path = back
        .strip_prefix(x.app.settings.public_origin.trim_end_matches('/'))
        .unwrap()
        .to_owned();
    assert_eq!(location(&x.app.server.get(&path).await), "/account");
    let replay = x.app.server.get(&path).await;
    assert_eq!(replay.status_code(), 400, "the state was used");
    let code = form_urlencoded::parse(back.split_once('?').unwrap().1.as_bytes())
        .find(|(k, _)| k == "code")
        .map(|(_, v)| v.into_owned())
        .unwrap();
    let token = no_redirects
        .post(format!("{}/oauth2/token", x.national))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", code.as_str()),
            (
                "redirect_uri",
                &motcua::accounts::national::redirect_uri(&x.app.settings),
            ),
            ("client_id", &x.app.settings.dvcqg_sso_client_id),
            ("client_secret", &x.app.settings.dvcqg_sso_client_secret),
            ("code_verifier", "whatever"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(token.status(), 400);

    // the provider down: a clear page, and the portal's own sign-in still works
    x.sso_mode("down", "sandbox-1").await;
    let down = x.app.server.get("/account/login/dvcqg").await;
    assert_eq!(down.status_code(), 503);
    assert!(
        Page::parse(&down.text())
            .text("#sso-reason")
            .contains("tạm thời không truy cập được")
    );
    sign_in_citizen(&x.app).await;
}
