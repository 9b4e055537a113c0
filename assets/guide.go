package assets

import (
	"embed"
	"fmt"

	"fyne.io/fyne/v2"
)

// guideFS holds the screenshots of 帮助 → 使用说明, made from the current
// screens by `go test ./ui -run TestGuideScreens -guide-shots`.
//
//go:embed guide/*.png
var guideFS embed.FS

// GuideImage returns the guide's screenshot named file (e.g. "main.png").
func GuideImage(file string) (fyne.Resource, error) {
	b, err := guideFS.ReadFile("guide/" + file)
	if err != nil {
		return nil, fmt.Errorf("guide image %s: %w", file, err)
	}
	return fyne.NewStaticResource("guide-"+file, b), nil
}
