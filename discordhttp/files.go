package discordhttp

import (
	"bytes"
	"fmt"
	"io"

	"github.com/disgoorg/disgo/discord"
)

// bufferedFiles holds uploads in memory: a retried request needs the bytes
// again, and a discord.File's Reader can be read only once.
type bufferedFiles struct {
	files []*discord.File
	data  [][]byte
}

func bufferFiles(files []*discord.File) (bufferedFiles, error) {
	b := bufferedFiles{files: files, data: make([][]byte, len(files))}
	for i, f := range files {
		data, err := io.ReadAll(f.Reader)
		if err != nil {
			return bufferedFiles{}, fmt.Errorf("read attachment %q: %w", f.Name, err)
		}
		b.data[i] = data
	}
	return b, nil
}

// fresh returns copies of the files with unread readers.
func (b bufferedFiles) fresh() []*discord.File {
	if len(b.files) == 0 {
		return nil
	}
	out := make([]*discord.File, len(b.files))
	for i, f := range b.files {
		c := *f
		c.Reader = bytes.NewReader(b.data[i])
		out[i] = &c
	}
	return out
}
