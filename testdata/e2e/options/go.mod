module example.com/options

go 1.26.0
