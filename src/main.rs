use clap::Parser;
use forcecast::{cli::Cli, commands};

fn main() {
    // Like other Unix tools, end quietly when the reader of our output goes
    // away (`forcecast solve | head -1`) instead of panicking on a broken pipe.
    #[cfg(unix)]
    // SAFETY: restoring the default SIGPIPE action before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let cli = Cli::parse();
    forcecast::output::install_interrupt_handler();
    let code = match commands::answer(cli).and_then(commands::deliver) {
        Ok(code) => code,
        Err(e) => {
            // A config can have several problems; each gets its own line.
            for line in e.to_string().lines() {
                eprintln!("error: {line}");
            }
            e.exit_code()
        }
    };
    std::process::exit(code);
}
