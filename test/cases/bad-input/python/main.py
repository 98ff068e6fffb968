# not run
