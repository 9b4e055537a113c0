package main

func runWindow(args []string) int { return 0 }
