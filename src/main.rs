//! `motcua`: the one binary of the portal. All the work is in the library; see `cli.rs`.

fn main() -> std::process::ExitCode {
    motcua::cli::main()
}
